/** iptables-save's printing of kube-proxy's comments and statistic probabilities. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comment, probability, savedProbability, saveString, writtenProbability } from '../../../../src/proxy/iptables/save-format';

describe('iptables-save formatting', () => {
  it('comments: bare when only [A-Za-z0-9_-], else quoted with " \\ \' escaped', () => {
    assert.equal(saveString('kubernetes-1_x'), 'kubernetes-1_x');
    assert.equal(saveString('ns1/svc1:p80'), '"ns1/svc1:p80"');
    assert.equal(saveString('kubernetes service portals'), '"kubernetes service portals"');
    assert.equal(saveString(`a"b\\c'd`), `"a\\"b\\\\c\\'d"`);
    assert.equal(comment('ns1/svc1:p80 cluster IP'), '-m comment --comment "ns1/svc1:p80 cluster IP"');
  });

  it('kube-proxy writes %0.10f of 1/n', () => {
    assert.deepEqual([3, 2, 7].map(writtenProbability), ['0.3333333333', '0.5000000000', '0.1428571429']);
  });

  it('iptables-save prints the kernel’s u32 back with %.11f (real outputs)', () => {
    assert.equal(probability(3), '0.33333333349');
    assert.equal(probability(2), '0.50000000000');
    assert.equal(probability(4), '0.25000000000');
    assert.equal(probability(10), '0.10000000009');
    // An older kube-proxy wrote %0.5f: "0.33333" came back as 0.33332999982 on real nodes.
    assert.equal(savedProbability('0.33333'), '0.33332999982');
  });

  it('an exact tie at 11 decimals rounds to even like glibc (1/4096 = 0.000244140625)', () => {
    assert.equal(probability(4096), '0.00024414062');
  });
});
