/**
 * The ipvs mode: the virtual-server table kube-proxy's ipvs proxier programs (pkg/proxy/ipvs/proxier.go), printed
 * as `ipvsadm -Ln` prints it, its ipsets, the scheduler option and the incremental bookkeeping.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpvsMode } from '../../../../src/proxy/ipvs';
import { NODE, TestState, ep, svc } from '../fixtures';

const pad = (remote: string) => `  -> ${remote.padEnd(28)} Masq    1      0          0         `;

function sample(): TestState {
  const st = new TestState();
  st.set(svc('ns1', 'svc1'), [ep('10.180.0.1')]);
  st.set(
    svc('ns2', 'svc2', {
      type: 'LoadBalancer',
      externalPolicyLocal: true,
      clusterIP: '172.30.0.42',
      nodePort: 3001,
      loadBalancerIPs: ['1.2.3.4'],
      externalIPs: ['192.168.99.22'],
      healthCheckNodePort: 30000,
    }),
    [ep('10.180.0.2')],
  );
  st.set(
    svc('ns5', 'svc5', {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.45',
      nodePort: 3002,
      loadBalancerIPs: ['5.6.7.8'],
      loadBalancerSourceRanges: [' 203.0.113.0/25', '192.168.0.0/24'],
      stickySeconds: 10800,
    }),
    [ep('10.180.0.10'), ep('10.180.0.3', { nodeName: NODE.nodeName })],
  );
  st.set(svc('ns6', 'svc6', { clusterIP: '172.30.0.46', protocol: 'UDP', port: 53 }), []);
  st.set(svc('ns7', 'svc7', { clusterIP: '172.30.0.47', protocol: 'SCTP', port: 9, type: 'NodePort', nodePort: 3007 }), [ep('10.180.0.7', { port: 9 })]);
  return st;
}

async function synced(st: TestState, o: ConstructorParameters<typeof IpvsMode>[1] = {}) {
  const m = new IpvsMode(NODE, o);
  await m.sync({ state: st });
  return m;
}

describe('ipvs mode: the table', () => {
  it('prints like ipvsadm -Ln: TCP, then UDP, then SCTP; by address and port; persistent for ClientIP', async () => {
    const m = await synced(sample());
    assert.equal(
      m.render(),
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
        'TCP  1.2.3.4:80 rr',
        pad('10.180.0.2:80'),
        'TCP  5.6.7.8:80 rr persistent 10800',
        pad('10.180.0.3:80'),
        pad('10.180.0.10:80'),
        'TCP  172.30.0.41:80 rr',
        pad('10.180.0.1:80'),
        'TCP  172.30.0.42:80 rr',
        pad('10.180.0.2:80'),
        'TCP  172.30.0.45:80 rr persistent 10800',
        pad('10.180.0.3:80'),
        pad('10.180.0.10:80'),
        'TCP  192.168.0.2:3001 rr',
        pad('10.180.0.2:80'),
        'TCP  192.168.0.2:3002 rr persistent 10800',
        pad('10.180.0.3:80'),
        pad('10.180.0.10:80'),
        'TCP  192.168.99.22:80 rr',
        pad('10.180.0.2:80'),
        'UDP  172.30.0.46:53 rr',
        'SCTP  172.30.0.47:9 rr',
        pad('10.180.0.7:9'),
        'SCTP  192.168.0.2:3007 rr',
        pad('10.180.0.7:9'),
        '',
      ].join('\n'),
    );
    assert.equal(m.ruleCount(), 11 + 13, 'virtual servers + real servers');
  });

  it('a destination line has ipvsadm’s column widths (and trailing padding)', async () => {
    const st = new TestState();
    st.set(svc('default', 'kubernetes', { portName: 'https', clusterIP: '10.96.0.1', port: 443 }), [ep('172.18.0.2', { port: 6443 })]);
    const lines = (await synced(st)).render().split('\n');
    assert.equal(lines[3], 'TCP  10.96.0.1:443 rr');
    assert.equal(lines[4], '  -> 172.18.0.2:6443              Masq    1      0          0         ');
  });

  it('backends: cluster IP, external and LB IPs, nodePort on the node IP only (not 127.0.0.1, as upstream)', async () => {
    const m = await synced(sample());
    assert.deepEqual(m.backends('172.30.0.45', 80, 'TCP'), ['10.180.0.10:80', '10.180.0.3:80']);
    assert.deepEqual(m.backends(NODE.nodeIP, 3002, 'TCP'), ['10.180.0.10:80', '10.180.0.3:80']);
    assert.equal(m.backends('127.0.0.1', 3002, 'TCP'), undefined);
    assert.deepEqual(m.backends('172.30.0.46', 53, 'UDP'), [], 'no endpoints: a virtual server without real servers');
    assert.equal(m.backends('172.30.0.46', 53, 'TCP'), undefined);
    // externalTrafficPolicy Local without a local endpoint: ipvs falls back to the Cluster endpoints (#97081).
    assert.deepEqual(m.backends('1.2.3.4', 80, 'TCP'), ['10.180.0.2:80']);
  });

  it('Local policies: this node’s endpoints when there are some', async () => {
    const st = new TestState();
    st.set(svc('ns1', 'svc1', { internalPolicyLocal: true }), [ep('10.180.0.1', { nodeName: 'other' }), ep('10.180.0.2', { nodeName: NODE.nodeName })]);
    st.set(svc('ns2', 'svc2', { internalPolicyLocal: true, clusterIP: '172.30.0.42' }), [ep('10.180.0.1', { nodeName: 'other' })]);
    st.set(svc('ns3', 'svc3', { type: 'NodePort', nodePort: 3003, externalPolicyLocal: true, clusterIP: '172.30.0.43' }), [
      ep('10.180.0.1', { nodeName: 'other' }),
      ep('10.180.0.2', { nodeName: NODE.nodeName }),
    ]);
    const m = await synced(st);
    assert.deepEqual(m.backends('172.30.0.41', 80, 'TCP'), ['10.180.0.2:80']);
    assert.deepEqual(m.backends('172.30.0.42', 80, 'TCP'), [], 'a ClusterIP port has no Cluster endpoints to fall back to');
    assert.deepEqual(m.backends('172.30.0.43', 80, 'TCP'), ['10.180.0.1:80', '10.180.0.2:80']);
    assert.deepEqual(m.backends(NODE.nodeIP, 3003, 'TCP'), ['10.180.0.2:80']);
  });
});

describe('ipvs mode: scheduler', () => {
  it('rr by default; any of upstream’s schedulers is used for every virtual server', async () => {
    const st = new TestState();
    st.set(svc('ns1', 'svc1'), [ep('10.180.0.1')]);
    assert.match((await synced(st)).render(), /^TCP {2}172\.30\.0\.41:80 rr$/m);
    assert.match((await synced(st, { scheduler: '' })).render(), /^TCP {2}172\.30\.0\.41:80 rr$/m);
    assert.match((await synced(st, { scheduler: 'lc' })).render(), /^TCP {2}172\.30\.0\.41:80 lc$/m);
    for (const s of ['wrr', 'wlc', 'lblc', 'lblcr', 'sh', 'dh', 'sed', 'nq']) new IpvsMode(NODE, { scheduler: s });
  });

  it('an unknown scheduler is kube-proxy’s configuration error', () => {
    assert.throws(() => new IpvsMode(NODE, { scheduler: 'mh' }), {
      message:
        'KubeProxyConfiguration.KubeProxyIPVSConfiguration.Scheduler.Scheduler: Invalid value: "mh": must be in [rr wrr lc wlc lblc lblcr sh dh sed nq ], blank means the default algorithm method (currently rr)',
    });
  });
});

describe('ipvs mode: ipsets', () => {
  it('prints like ipset save, every set, members sorted', async () => {
    const text = (await synced(sample())).renderIpsets();
    const members = (name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`add ${name} `))
        .map((l) => l.slice(`add ${name} `.length));
    assert.ok(text.startsWith('create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536\n'));
    assert.ok(text.includes('create KUBE-NODE-PORT-TCP bitmap:port range 0-65535\n'));
    assert.deepEqual(members('KUBE-LOOP-BACK'), ['10.180.0.3,tcp:80,10.180.0.3']);
    assert.deepEqual(members('KUBE-CLUSTER-IP'), ['172.30.0.41,tcp:80', '172.30.0.42,tcp:80', '172.30.0.45,tcp:80', '172.30.0.46,udp:53', '172.30.0.47,sctp:9']);
    assert.deepEqual(members('KUBE-EXTERNAL-IP-LOCAL'), ['192.168.99.22,tcp:80']);
    assert.deepEqual(members('KUBE-EXTERNAL-IP'), []);
    assert.deepEqual(members('KUBE-LOAD-BALANCER'), ['1.2.3.4,tcp:80', '5.6.7.8,tcp:80']);
    assert.deepEqual(members('KUBE-LOAD-BALANCER-LOCAL'), ['1.2.3.4,tcp:80']);
    assert.deepEqual(members('KUBE-LOAD-BALANCER-FW'), ['5.6.7.8,tcp:80']);
    assert.deepEqual(members('KUBE-LOAD-BALANCER-SOURCE-CIDR'), ['5.6.7.8,tcp:80,192.168.0.0/24', '5.6.7.8,tcp:80,203.0.113.0/25']);
    assert.deepEqual(members('KUBE-LOAD-BALANCER-SOURCE-IP'), ['5.6.7.8,tcp:80,5.6.7.8'], 'the node IP is in a source range');
    assert.deepEqual(members('KUBE-NODE-PORT-TCP'), ['3001', '3002']);
    assert.deepEqual(members('KUBE-NODE-PORT-LOCAL-TCP'), ['3001']);
    assert.deepEqual(members('KUBE-NODE-PORT-SCTP-HASH'), ['192.168.0.2,sctp:3007']);
    assert.deepEqual(members('KUBE-HEALTH-CHECK-NODE-PORT'), ['30000']);
    assert.deepEqual(members('KUBE-IPVS-IPS'), ['1.2.3.4', '172.30.0.41', '172.30.0.42', '172.30.0.45', '172.30.0.46', '172.30.0.47', '192.168.99.22', '5.6.7.8']);
  });
});

describe('ipvs mode: changes and lifecycle', () => {
  it('two ports claiming one virtual server: the smallest key wins whatever the sync order', async () => {
    const a = svc('ns-a', 'a', { clusterIP: '172.30.0.1', externalIPs: ['192.168.99.1'] });
    const b = svc('ns-b', 'b', { clusterIP: '172.30.0.2', externalIPs: ['192.168.99.1'] });
    const st = new TestState();
    st.set(b, [ep('10.180.0.2')]);
    const m = new IpvsMode(NODE);
    await m.sync({ state: st });
    st.set(a, [ep('10.180.0.1')]);
    await m.sync({ state: st, changed: new Set([a.key]) });
    assert.deepEqual(m.backends('192.168.99.1', 80, 'TCP'), ['10.180.0.1:80']);
    assert.equal(m.render(), (await synced(st)).render());
    assert.equal(m.ruleCount(), 3 + 3);
    st.remove(a.key);
    await m.sync({ state: st, changed: new Set([a.key]) });
    assert.deepEqual(m.backends('192.168.99.1', 80, 'TCP'), ['10.180.0.2:80']);
    assert.equal(m.ruleCount(), 4);
  });

  it('a skipped port is counted and leaves nothing behind', async () => {
    const st = new TestState();
    const key = st.set(svc('ns1', 'svc1'), [ep('10.180.0.1')]);
    const m = await synced(st);
    st.set(svc('ns1', 'svc1', { port: 70000 }), [ep('10.180.0.1')]);
    const stats = await m.sync({ state: st, changed: new Set([key]) });
    assert.deepEqual([stats.services, stats.touched, stats.skipped], [0, 1, 1]);
    assert.equal(m.ruleCount(), 0);
    assert.equal(m.backends('172.30.0.41', 80, 'TCP'), undefined);
  });

  it('sync after dispose rejects', async () => {
    const m = new IpvsMode(NODE);
    await m.dispose();
    await assert.rejects(m.sync({ state: new TestState() }), /disposed/);
  });
});
