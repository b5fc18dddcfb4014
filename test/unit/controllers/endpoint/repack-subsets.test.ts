/**
 * RepackSubsets (upstream pkg/api/v1/endpoints TestPackSubsets cases) and its invariants: deterministic regardless
 * of input order, idempotent, every (address, port) pair kept, not-ready wins over ready.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { repackSubsets, type EndpointAddress, type EndpointSubset } from '../../../../src/controllers/endpoint/repack-subsets';

const a = (ip: string, uid?: string): EndpointAddress => (uid ? { ip, targetRef: { kind: 'Pod', uid } } : { ip });
const p = (port: number, name = `p${port}`) => ({ name, port, protocol: 'TCP' });

describe('repackSubsets', () => {
  const cases: [string, EndpointSubset[], EndpointSubset[]][] = [
    ['empty', [], []],
    ['one set, one ip, one port', [{ addresses: [a('1.2.3.4')], ports: [p(111)] }], [{ addresses: [a('1.2.3.4')], ports: [p(111)] }]],
    ['one set, one ip, no port', [{ addresses: [a('1.2.3.4')] }], [{ addresses: [a('1.2.3.4')] }]],
    ['one set, one notReady ip, one port', [{ notReadyAddresses: [a('1.2.3.4')], ports: [p(111)] }], [{ notReadyAddresses: [a('1.2.3.4')], ports: [p(111)] }]],
    ['one set, two ips, sorted', [{ addresses: [a('5.6.7.8'), a('1.2.3.4')], ports: [p(111)] }], [{ addresses: [a('1.2.3.4'), a('5.6.7.8')], ports: [p(111)] }]],
    ['one set, dup ips', [{ addresses: [a('1.2.3.4'), a('1.2.3.4')], ports: [p(111)] }], [{ addresses: [a('1.2.3.4')], ports: [p(111)] }]],
    [
      'one set, same ip with different targets, sorted by uid',
      [{ addresses: [a('1.2.3.4', 'uid-2'), a('1.2.3.4', 'uid-1')], ports: [p(111)] }],
      [{ addresses: [a('1.2.3.4', 'uid-1'), a('1.2.3.4', 'uid-2')], ports: [p(111)] }],
    ],
    ['two sets, same ip and port', [{ addresses: [a('1.2.3.4')], ports: [p(111)] }, { addresses: [a('1.2.3.4')], ports: [p(111)] }], [{ addresses: [a('1.2.3.4')], ports: [p(111)] }]],
    [
      'two sets, same ip, ready and not ready: not ready wins',
      [{ addresses: [a('1.2.3.4')], ports: [p(111)] }, { notReadyAddresses: [a('1.2.3.4')], ports: [p(111)] }],
      [{ notReadyAddresses: [a('1.2.3.4')], ports: [p(111)] }],
    ],
    [
      'two sets, two ips, same port: merged',
      [{ addresses: [a('1.2.3.4')], ports: [p(111)] }, { addresses: [a('5.6.7.8')], ports: [p(111)] }],
      [{ addresses: [a('1.2.3.4'), a('5.6.7.8')], ports: [p(111)] }],
    ],
    [
      'ready and not-ready ips sharing a port stay in one subset',
      [{ addresses: [a('1.2.3.4')], ports: [p(111)] }, { notReadyAddresses: [a('5.6.7.8')], ports: [p(111)] }],
      [{ addresses: [a('1.2.3.4')], notReadyAddresses: [a('5.6.7.8')], ports: [p(111)] }],
    ],
  ];
  for (const [name, input, want] of cases) it(name, () => assert.deepEqual(repackSubsets(structuredClone(input)), want));

  it('groups one ip offering two ports into one subset, and different port sets apart', () => {
    const out = repackSubsets([
      { addresses: [a('1.2.3.4')], ports: [p(111)] },
      { addresses: [a('1.2.3.4')], ports: [p(222)] },
      { addresses: [a('5.6.7.8')], ports: [p(111)] },
    ]);
    const norm = out.map((s) => ({ ips: (s.addresses ?? []).map((x) => x.ip), ports: (s.ports ?? []).map((x) => x.port).sort() }));
    assert.deepEqual(
      norm.sort((x, y) => x.ips.length - y.ips.length),
      [
        { ips: ['1.2.3.4'], ports: [222] },
        { ips: ['1.2.3.4', '5.6.7.8'], ports: [111] },
      ],
    );
  });

  const subset = fc.record(
    {
      addresses: fc.array(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3').map((ip) => a(ip, `u-${ip}`)), { maxLength: 3 }),
      notReadyAddresses: fc.array(fc.constantFrom('10.0.0.1', '10.0.0.4').map((ip) => a(ip, `u-${ip}`)), { maxLength: 2 }),
      ports: fc.array(fc.constantFrom(80, 443, 8080).map((n) => p(n)), { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: ['ports'] },
  );

  // (Endpoints never mix port-less and ported subsets: a port-less address merged with ported ones loses its sentinel.)
  it('is independent of input order, idempotent, and keeps every (address, port) pair', () => {
    fc.assert(
      fc.property(fc.array(subset, { maxLength: 5 }), (subsets) => {
        const out = repackSubsets(structuredClone(subsets));
        assert.deepEqual(repackSubsets(structuredClone([...subsets].reverse())), out);
        assert.deepEqual(repackSubsets(structuredClone(out)), out);
        const pairs = (ss: EndpointSubset[], ready: boolean) => {
          const set = new Set<string>();
          for (const s of ss) for (const x of (ready ? s.addresses : s.notReadyAddresses) ?? []) for (const port of s.ports?.length ? s.ports : [{ port: -1 }]) set.add(`${x.ip}:${port.port}`);
          return set;
        };
        const inNotReady = pairs(subsets, false);
        const wantReady = [...pairs(subsets, true)].filter((k) => !inNotReady.has(k)).sort();
        assert.deepEqual([...pairs(out, true)].sort(), wantReady);
        assert.deepEqual([...pairs(out, false)].sort(), [...inNotReady].sort());
      }),
    );
  });
});
