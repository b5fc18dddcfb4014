/** Tooltips: etcd's field names, lease ids in hex as etcdctl prints them (`lease %016x`), counts. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { countLabel, folderTooltip, formatLease, keyTooltip } from '../../../../src/ui/registry';

describe('formatLease', () => {
  const cases: Array<[string | number | bigint, string]> = [
    ['0', 'none'],
    [0, 'none'],
    ['1', '0000000000000001'],
    ['7587817042727751691', '694d5765fc71500b'],
    ['9223372036854775807', '7fffffffffffffff'],
    [255n, '00000000000000ff'],
    ['-1', '-000000000000001'],
    ['not-a-lease', 'not-a-lease'],
  ];
  for (const [lease, want] of cases) it(`${String(lease)} → ${want}`, () => assert.equal(formatLease(lease), want));

  it('property: parses back to the same int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), (id) => {
        const hex = formatLease(id.toString());
        assert.equal(hex.length, 16);
        assert.equal(BigInt(`0x${hex}`), id);
      }),
    );
  });
});

describe('tooltips', () => {
  it('keyTooltip', () => {
    assert.equal(
      keyTooltip({ key: '/registry/leases/kube-node-lease/node-1', createRevision: 12, modRevision: 40, version: 3, lease: '7587817042727751691' }),
      '/registry/leases/kube-node-lease/node-1\ncreate_revision: 12\nmod_revision: 40\nversion: 3\nlease: 694d5765fc71500b',
    );
    assert.match(keyTooltip({ key: '/registry/pods/default/web', createRevision: 1, modRevision: 1, version: 1, lease: '0' }), /\nlease: none$/);
  });

  it('countLabel and folderTooltip', () => {
    assert.equal(countLabel(0), '0 keys');
    assert.equal(countLabel(1), '1 key');
    assert.equal(countLabel(10000), '10,000 keys');
    assert.equal(folderTooltip('/registry/pods', 1234), '/registry/pods\n1,234 keys');
  });
});
