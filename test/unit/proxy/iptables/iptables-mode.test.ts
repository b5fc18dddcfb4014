/**
 * The iptables mode's rules for single services (expectations written from upstream proxier.go / proxier_test.go,
 * in iptables-save form), incremental changes, large-cluster mode, bad data and the lifecycle.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IptablesMode, LARGE_CLUSTER_ENDPOINTS, servicePortEndpointChainName } from '../../../../src/proxy/iptables';
import { NODE, TestState, chainRules, ep, svc, tableLines } from '../fixtures';

const SVC1 = 'KUBE-SVC-XPGD46QRK7WJZT7O';
const sep = (endpoint: string, name = 'ns1/svc1:p80') => servicePortEndpointChainName(name, 'tcp', endpoint);
const SEP1 = 'KUBE-SEP-SXIVWICOYRO3J4NJ';

async function synced(st: TestState, o: ConstructorParameters<typeof IptablesMode>[1] = {}) {
  const m = new IptablesMode(NODE, o);
  await m.sync({ state: st });
  return m;
}

const ownNatRules = (save: string) => tableLines(save, 'nat').filter((l) => l.startsWith('-A KUBE-'));

describe('iptables mode: one ClusterIP service', () => {
  it('3 endpoints: 1/3, 1/2, then the last one unconditionally', async () => {
    const st = new TestState();
    st.set(svc('ns1', 'svc1'), [ep('10.180.0.1'), ep('10.180.0.2'), ep('10.180.0.3')]);
    const m = await synced(st);
    const save = m.render();
    assert.deepEqual(chainRules(save, 'nat', 'KUBE-SERVICES'), [
      `-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j ${SVC1}`,
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ]);
    assert.deepEqual(chainRules(save, 'nat', SVC1), [
      `-A ${SVC1} ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.33333333349 -j ${SEP1}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m statistic --mode random --probability 0.50000000000 -j ${sep('10.180.0.2:80')}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.3:80" -j ${sep('10.180.0.3:80')}`,
    ]);
    assert.deepEqual(chainRules(save, 'nat', SEP1), [
      `-A ${SEP1} -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80`,
    ]);
    assert.ok(save.includes(`:${sep('10.180.0.3:80')} - [0:0]\n`), 'the endpoint chain is declared');
    assert.deepEqual(m.backends('172.30.0.41', 80, 'TCP'), ['10.180.0.1:80', '10.180.0.2:80', '10.180.0.3:80']);
    assert.equal(m.ruleCount(), 5 + 1 + 1 + 3 + 3 * 2);
    assert.equal(m.ruleCount(), ownNatRules(save).length);
  });

  it('ClientIP affinity: recent checks before the random choice, recent --set before the DNAT', async () => {
    const st = new TestState();
    st.set(svc('ns1', 'svc1', { stickySeconds: 10800 }), [ep('10.180.0.1'), ep('10.180.0.2')]);
    const save = (await synced(st)).render();
    const s2 = sep('10.180.0.2:80');
    assert.deepEqual(chainRules(save, 'nat', SVC1).slice(1), [
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --rcheck --seconds 10800 --reap --name ${SEP1} --mask 255.255.255.255 --rsource -j ${SEP1}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m recent --rcheck --seconds 10800 --reap --name ${s2} --mask 255.255.255.255 --rsource -j ${s2}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.50000000000 -j ${SEP1}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j ${s2}`,
    ]);
    assert.deepEqual(chainRules(save, 'nat', s2)[1], `-A ${s2} -p tcp -m comment --comment "ns1/svc1:p80" -m recent --set --name ${s2} --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.2:80`);
  });

  it('no endpoints: no nat chains, REJECT in filter KUBE-SERVICES and KUBE-EXTERNAL-SERVICES (upstream TestNoEndpointsReject)', async () => {
    const st = new TestState();
    st.set(svc('ns1', 'svc1', { type: 'LoadBalancer', nodePort: 3001, externalIPs: ['192.168.99.11'], loadBalancerIPs: ['1.2.3.4'] }), [
      ep('10.180.0.1', { ready: false, serving: false }),
    ]);
    const m = await synced(st);
    const save = m.render();
    assert.ok(!save.includes('KUBE-SVC-'), 'no service chain');
    assert.deepEqual(chainRules(save, 'filter', 'KUBE-SERVICES'), [
      '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ]);
    assert.deepEqual(chainRules(save, 'filter', 'KUBE-EXTERNAL-SERVICES'), [
      '-A KUBE-EXTERNAL-SERVICES -d 192.168.99.11/32 -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
      '-A KUBE-EXTERNAL-SERVICES -d 1.2.3.4/32 -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
      '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "ns1/svc1:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 3001 -j REJECT --reject-with icmp-port-unreachable',
    ]);
    for (const [ip, port] of [['172.30.0.41', 80], ['192.168.99.11', 80], ['1.2.3.4', 80], [NODE.nodeIP, 3001], ['127.0.0.1', 3001]] as const) {
      assert.deepEqual(m.backends(ip, port, 'TCP'), [], `${ip}:${port}`);
    }
    assert.equal(m.ruleCount(), 5);
  });

  it('internalTrafficPolicy Local without a local endpoint: DROP, and an SVL chain when there is one', async () => {
    const st = new TestState();
    const key = st.set(svc('ns1', 'svc1', { internalPolicyLocal: true }), [ep('10.180.0.1', { nodeName: 'other' })]);
    const m = await synced(st);
    assert.deepEqual(chainRules(m.render(), 'filter', 'KUBE-SERVICES'), [
      '-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp --dport 80 -j DROP',
    ]);
    assert.deepEqual(m.backends('172.30.0.41', 80, 'TCP'), []);
    st.set(svc('ns1', 'svc1', { internalPolicyLocal: true }), [ep('10.180.0.1', { nodeName: 'other' }), ep('10.180.0.2', { nodeName: NODE.nodeName })]);
    await m.sync({ state: st, changed: new Set([key]) });
    const svl = 'KUBE-SVL-XPGD46QRK7WJZT7O';
    assert.deepEqual(chainRules(m.render(), 'nat', 'KUBE-SERVICES')[0], `-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j ${svl}`);
    assert.equal(chainRules(m.render(), 'nat', svl).length, 2);
    assert.deepEqual(m.backends('172.30.0.41', 80, 'TCP'), ['10.180.0.2:80']);
  });

  it('masqueradeAll: the cluster-IP masquerade rule matches every source', async () => {
    const st = new TestState();
    st.set(svc('ns1', 'svc1'), [ep('10.180.0.1')]);
    const save = (await synced(st, { masqueradeAll: true })).render();
    assert.equal(chainRules(save, 'nat', SVC1)[0], `-A ${SVC1} -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`);
  });

  it('UDP and SCTP use their own match', async () => {
    const st = new TestState();
    st.set(svc('kube-system', 'kube-dns', { portName: 'dns', protocol: 'UDP', clusterIP: '10.96.0.10', port: 53 }), [ep('10.244.0.2', { port: 53 })]);
    const save = (await synced(st)).render();
    assert.ok(save.includes('-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU\n'));
  });
});

describe('iptables mode: NodePort', () => {
  it('KUBE-NODEPORTS (localhost with its nfacct counter, then any local address) → KUBE-EXT → KUBE-SVC', async () => {
    const st = new TestState();
    st.set(svc('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', nodePort: 3003 }), [ep('10.180.0.3')]);
    const m = await synced(st);
    const save = m.render();
    const ext = 'KUBE-EXT-X27LE4BHSL4DOUIK';
    assert.deepEqual(chainRules(save, 'nat', 'KUBE-NODEPORTS'), [
      `-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j ${ext}`,
      `-A KUBE-NODEPORTS -p tcp -m comment --comment "ns3/svc3:p80" -m tcp --dport 3003 -j ${ext}`,
    ]);
    assert.deepEqual(chainRules(save, 'nat', ext), [
      `-A ${ext} -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ`,
      `-A ${ext} -j KUBE-SVC-X27LE4BHSL4DOUIK`,
    ]);
    assert.deepEqual(m.backends(NODE.nodeIP, 3003, 'TCP'), ['10.180.0.3:80']);
    assert.deepEqual(m.backends('127.0.0.1', 3003, 'TCP'), ['10.180.0.3:80']);
    assert.equal(m.ruleCount(), ownNatRules(save).length);
  });
});

describe('iptables mode: changes', () => {
  it('endpoints change → rules change; a partial sync equals a full one', async () => {
    const st = new TestState();
    const key = st.set(svc('ns1', 'svc1'), [ep('10.180.0.1'), ep('10.180.0.2'), ep('10.180.0.3')]);
    st.set(svc('ns2', 'svc2', { clusterIP: '172.30.0.42' }), [ep('10.180.1.1')]);
    const m = await synced(st);
    const before = m.render();
    st.set(svc('ns1', 'svc1'), [ep('10.180.0.1'), ep('10.180.0.3', { ready: false, serving: true, terminating: true })]);
    const stats = await m.sync({ state: st, changed: new Set([key]) });
    assert.deepEqual(stats, { services: 2, touched: 1, skipped: 0, problems: [] });
    const after = m.render();
    assert.notEqual(after, before);
    assert.ok(!after.includes(sep('10.180.0.2:80')) && !after.includes(sep('10.180.0.3:80')), 'gone and not-ready endpoints lose their chains');
    assert.deepEqual(chainRules(after, 'nat', SVC1).slice(1), [`-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`]);
    assert.deepEqual(m.backends('172.30.0.41', 80, 'TCP'), ['10.180.0.1:80']);
    const full = await synced(st);
    assert.equal(after, full.render());
    assert.equal(m.ruleCount(), full.ruleCount());
  });

  it('a removed service loses its rules and frontends', async () => {
    const st = new TestState();
    const key = st.set(svc('ns1', 'svc1', { type: 'NodePort', nodePort: 30100 }), [ep('10.180.0.1')]);
    const m = await synced(st);
    st.remove(key);
    await m.sync({ state: st, changed: new Set([key]) });
    assert.equal(m.backends('172.30.0.41', 80, 'TCP'), undefined);
    assert.equal(m.backends(NODE.nodeIP, 30100, 'TCP'), undefined);
    assert.equal(m.ruleCount(), 5);
    assert.equal(m.render(), (await synced(new TestState())).render());
  });

  it('large-cluster mode (more than 1,000 endpoints) drops endpoint comments everywhere, and brings them back', async () => {
    const st = new TestState();
    const small = st.set(svc('ns1', 'svc1'), [ep('10.180.0.1')]);
    const many = Array.from({ length: LARGE_CLUSTER_ENDPOINTS - 1 }, (_, i) => ep(`10.181.${i >> 8}.${i & 255}`));
    const big = st.set(svc('ns2', 'big', { clusterIP: '172.30.0.42' }), many);
    const m = await synced(st);
    assert.ok(m.render().includes(`-A ${SEP1} -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ`), '1,000 endpoints: still commented');
    st.set(svc('ns2', 'big', { clusterIP: '172.30.0.42' }), [...many, ep('10.182.0.1')]);
    await m.sync({ state: st, changed: new Set([big]) });
    const large = m.render();
    assert.ok(large.includes(`-A ${SEP1} -s 10.180.0.1/32 -j KUBE-MARK-MASQ\n`), 'the unchanged service was rewritten too');
    assert.ok(large.includes(`-A ${SVC1} -j ${SEP1}\n`));
    assert.ok(large.includes('-m comment --comment "ns1/svc1:p80 cluster IP"'), 'service rules keep their comments');
    assert.equal(large, (await synced(st)).render());
    st.remove(big);
    await m.sync({ state: st, changed: new Set([big, small]) });
    assert.equal(m.render(), (await synced(st)).render());
    assert.ok(m.render().includes(`-A ${SEP1} -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ`));
  });
});

describe('iptables mode: bad data and lifecycle', () => {
  it('a bad service port is skipped and counted; bad endpoints are ignored; sync does not throw', async () => {
    const st = new TestState();
    st.set(svc('ns1', 'bad', { clusterIP: 'None' }), [ep('10.180.0.1')]);
    st.set(svc('ns1', 'svc1'), [ep('10.180.0.1'), ep('not-an-ip'), ep('10.180.0.2', { port: 0 })]);
    const m = new IptablesMode(NODE);
    const stats = await m.sync({ state: st });
    assert.equal(stats.services, 1);
    assert.equal(stats.skipped, 1);
    assert.equal(stats.problems.length, 3, stats.problems.join('\n'));
    assert.match(stats.problems.join('\n'), /ns1\/bad:p80: skipped: cluster IP "None" is not an IPv4 address/);
    assert.deepEqual(m.backends('172.30.0.41', 80, 'TCP'), ['10.180.0.1:80']);
  });

  it('sync after dispose rejects', async () => {
    const m = new IptablesMode(NODE);
    await m.dispose();
    await assert.rejects(m.sync({ state: new TestState() }), /disposed/);
  });
});
