/**
 * Chain names: against the formula computed independently here (node's sha256, a bit-by-bit base32), and against
 * the names upstream's own tests and real clusters show (proxier_test.go TestOverallIPTablesRules; the
 * kubernetes and kube-dns Services every cluster has).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hash16, portProtoHash, ServiceChains, servicePortEndpointChainName } from '../../../../src/proxy/iptables/chain-names';

/** base32 (RFC 4648) of sha256(input), first 16 characters, one bit at a time. */
function byHand(input: string): string {
  const digest = createHash('sha256').update(input).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let c = 0; c < 16; c++) {
    let v = 0;
    for (let b = 0; b < 5; b++) {
      const bit = c * 5 + b;
      v = (v << 1) | ((digest[bit >> 3] >> (7 - (bit & 7))) & 1);
    }
    out += alphabet[v];
  }
  return out;
}

describe('iptables chain names', () => {
  it('hash16 is the first 16 base32 characters of sha256', () => {
    for (const s of ['', 'a', 'ns1/svc1:p80tcp', 'default/kubernetes:httpstcp10.0.0.1:6443', 'ü/ß:πudp']) {
      assert.equal(hash16(s), byHand(s), s);
    }
  });

  it('service chains hash servicePortName + lower-case protocol (upstream TestOverallIPTablesRules)', () => {
    const table: [string, string, string][] = [
      ['ns1/svc1:p80', 'tcp', 'XPGD46QRK7WJZT7O'],
      ['ns2/svc2:p80', 'tcp', 'GNZBNJ2PO5MGZ6GT'],
      ['ns3/svc3:p80', 'tcp', 'X27LE4BHSL4DOUIK'],
      ['ns4/svc4:p80', 'tcp', '4SW47YFZTEDKD3PK'],
      ['ns5/svc5:p80', 'tcp', 'NUKIZ6OKUXPJNT4C'],
      // Seen on every cluster: default/kubernetes:https and kube-system/kube-dns:dns.
      ['default/kubernetes:https', 'tcp', 'NPX46M4PTMTKRN6Y'],
      ['kube-system/kube-dns:dns', 'udp', 'TCOU7JCQXEZGVUNU'],
    ];
    for (const [name, proto, hash] of table) assert.equal(portProtoHash(name, proto), hash, name);
    const c = new ServiceChains('ns5/svc5:p80', 'tcp');
    assert.deepEqual([c.cluster, c.local, c.external, c.firewall], [
      'KUBE-SVC-NUKIZ6OKUXPJNT4C',
      'KUBE-SVL-NUKIZ6OKUXPJNT4C',
      'KUBE-EXT-NUKIZ6OKUXPJNT4C',
      'KUBE-FW-NUKIZ6OKUXPJNT4C',
    ]);
  });

  it('endpoint chains hash servicePortName + protocol + ip:port (upstream TestOverallIPTablesRules)', () => {
    const table: [string, string, string][] = [
      ['ns1/svc1:p80', '10.180.0.1:80', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
      ['ns2/svc2:p80', '10.180.0.2:80', 'KUBE-SEP-RS4RBKLTHTF2IUXJ'],
      ['ns3/svc3:p80', '10.180.0.3:80', 'KUBE-SEP-OYPFS5VJICHGATKP'],
      ['ns4/svc4:p80', '10.180.0.4:80', 'KUBE-SEP-UKSFD7AGPMPPLUHC'],
      ['ns4/svc4:p80', '10.180.0.5:80', 'KUBE-SEP-C6EBXVWJJZMIWKLZ'],
      ['ns5/svc5:p80', '10.180.0.3:80', 'KUBE-SEP-I77PXRDZVX7PMWMN'],
    ];
    for (const [name, endpoint, chain] of table) assert.equal(servicePortEndpointChainName(name, 'tcp', endpoint), chain, endpoint);
    assert.equal(servicePortEndpointChainName('ns1/svc1:p80', 'udp', '10.180.0.1:80'), `KUBE-SEP-${byHand('ns1/svc1:p80udp10.180.0.1:80')}`);
  });

  it('the endpoint cache gives the same names and forgets pruned endpoints', () => {
    const c = new ServiceChains('ns1/svc1:p80', 'tcp');
    assert.equal(c.endpoint('10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
    assert.equal(c.endpoint('10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
    c.endpoint('10.180.0.2:80');
    assert.equal(c.cachedCount, 2);
    c.prune(new Set(['10.180.0.2:80']));
    assert.equal(c.cachedCount, 1);
  });
});
