/**
 * kube-proxy in the whole in-process cluster (fake clock), per mode: every node's kube-proxy follows Services and
 * EndpointSlices through the API server, and its view is read back through the node proxy
 * (`/api/v1/nodes/<node>:10249/proxy/...`). iptables: a Service of 3 pods becomes KUBE-SERVICES → KUBE-SVC-… with
 * 1/3, 1/2 probabilities → 3 KUBE-SEP-… DNATs on every node; scaled to 2, the rules follow. ipvs: a virtual server
 * with the 3 pods as real servers. In both, 127.0.0.1:<nodePort> carries real traffic to the pods the rules name.
 * Also the kube-proxy DaemonSet's pods, /proxyMode, /metrics and /healthz.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { applyCliOverrides, defaultClusterConfig } from '../../../src/cluster/config';
import { R, type Obj } from '../../../src/controllers/framework';
import { isRunningReady, startNodesCluster, type NodesCluster } from '../../helpers/cluster-nodes';

const NODES = ['kubelab-control-plane', 'kubelab-worker', 'kubelab-worker2'];

const deployment = (replicas: number): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
});
const service: Obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] } };

async function raw(c: NodesCluster, path: string): Promise<{ status: number; text: string }> {
  const res = await c.transport.request({ method: 'GET', path });
  return { status: res.status, text: typeof res.body === 'string' ? res.body : JSON.stringify(res.body) };
}

async function startWith(mode: 'iptables' | 'ipvs', serviceCIDR?: string): Promise<NodesCluster> {
  const config = applyCliOverrides(defaultClusterConfig(), { nodes: 2, port: 0, dnsPort: 0, ingressPort: 0, proxyMode: mode });
  if (serviceCIDR) config.serviceCIDR = serviceCIDR;
  const c = await startNodesCluster({ config });
  await c.admin.create(R.deployments, 'default', deployment(3));
  await c.admin.create(R.services, 'default', service);
  await c.until('3 web pods ready', async () => (await c.pods('default', 'app=web')).filter(isRunningReady).length === 3);
  return c;
}

function get(port: number): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(3000, () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Makes `web` a NodePort Service and collects the pod names answering on 127.0.0.1:<nodePort>. */
async function nodePortAnswers(c: NodesCluster): Promise<string[]> {
  await c.admin.patch(R.services, 'default', 'web', { spec: { type: 'NodePort' } });
  const port = ((await c.admin.get(R.services, 'default', 'web')).spec as { ports: { nodePort: number }[] }).ports[0].nodePort;
  const seen = new Set<string>();
  await c.until(`answers from every web pod on 127.0.0.1:${port}`, async () => {
    const r = await get(port);
    if (r?.status === 200) seen.add(r.body.trim());
    return seen.size >= (await c.pods('default', 'app=web')).filter(isRunningReady).length;
  });
  return [...seen].sort();
}

const podIPs = async (c: NodesCluster) => (await c.pods('default', 'app=web')).filter(isRunningReady).map((p) => p.status!.podIP!).sort();

describe('kube-proxy, iptables mode, in the cluster', () => {
  let c: NodesCluster;
  before(async () => (c = await startWith('iptables')));
  after(async () => c?.stop());

  it('runs on every node as the kube-proxy DaemonSet', async () => {
    const pods = await c.until('3 kube-proxy pods running', async () => {
      const p = (await c.pods('kube-system', 'k8s-app=kube-proxy')).filter(isRunningReady);
      return p.length === 3 ? p : undefined;
    });
    assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), NODES);
    for (const n of NODES) assert.equal((await raw(c, `/api/v1/nodes/${n}:10249/proxy/proxyMode`)).text, 'iptables');
  });

  it('programs the Service on every node: KUBE-SVC with 1/3 and 1/2 probabilities, one KUBE-SEP DNAT per pod', async () => {
    const ips = await podIPs(c);
    const svcIP = ((await c.admin.get(R.services, 'default', 'web')).spec as { clusterIP: string }).clusterIP;
    for (const n of NODES) {
      const rules = await c.until(`rules for default/web:http on ${n}`, async () => {
        const r = await raw(c, `/api/v1/nodes/${n}:10249/proxy/rules`);
        return (r.text.match(/-j DNAT --to-destination 10\.244\.\d+\.\d+:80/g) ?? []).length === 3 ? r.text : undefined;
      });
      assert.match(rules, new RegExp(`^-A KUBE-SERVICES -d ${svcIP.replace(/\./g, '\\.')}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-[A-Z2-7]{16}$`, 'm'));
      const lb = rules.split('\n').filter((l) => /^-A KUBE-SVC-\S+ -m comment --comment "default\/web:http -> /.test(l));
      assert.deepEqual(lb.map((l) => /--probability (\S+)/.exec(l)?.[1] ?? 'last'), ['0.33333333349', '0.50000000000', 'last']);
      assert.deepEqual(lb.map((l) => /-> (\S+):80"/.exec(l)![1]), ips);
    }
  });

  it('follows a scale-down: 2 endpoints, 1/2 probability; and reports metrics and health', async () => {
    await c.admin.patch(R.deployments, 'default', 'web', { spec: { replicas: 2 } });
    const rules = await c.until('rules with 2 endpoints', async () => {
      const r = await raw(c, '/api/v1/nodes/kubelab-worker:10249/proxy/rules');
      return (r.text.match(/-j DNAT --to-destination 10\.244\.\d+\.\d+:80/g) ?? []).length === 2 ? r.text : undefined;
    });
    assert.match(rules, /--probability 0\.50000000000 -j KUBE-SEP-/);
    assert.doesNotMatch(rules, /0\.33333333349/);
    const metrics = (await raw(c, '/api/v1/nodes/kubelab-worker:10249/proxy/metrics')).text;
    assert.match(metrics, /^kubeproxy_sync_proxy_rules_iptables_total\{table="nat"\} [1-9]\d*$/m);
    assert.match(metrics, /^kubeproxy_sync_proxy_rules_endpoint_changes_total [1-9]\d*$/m);
    const health = await raw(c, '/api/v1/nodes/kubelab-worker:10256/proxy/healthz');
    assert.equal(health.status, 200);
    assert.match(health.text, /^\{"lastUpdated": "[^"]+ \+0000 UTC m=\+[\d.]+","currentTime": "[^"]+", "nodeEligible": true\}$/);
    const nothing = await raw(c, '/api/v1/nodes/kubelab-worker:9999/proxy/');
    assert.equal(nothing.status, 503);
    assert.match(nothing.text, /Error trying to reach service: 'dial tcp 172\.18\.0\.3:9999: connect: connection refused'/);
    assert.equal((await raw(c, '/api/v1/nodes/nosuch:10249/proxy/rules')).status, 404);
  });

  it('carries NodePort traffic straight to the pods the rules name (the simulated kernel), spread over them', async () => {
    const names = (await c.pods('default', 'app=web')).filter(isRunningReady).map((p) => p.metadata.name).sort();
    assert.deepEqual(await nodePortAnswers(c), names);
  });
});

describe('kube-proxy, ipvs mode, in the cluster', () => {
  let c: NodesCluster;
  before(async () => (c = await startWith('ipvs', '10.100.0.0/16')));
  after(async () => c?.stop());

  it('allocates cluster IPs from the configured service CIDR (kubernetes .1, kube-dns .10)', async () => {
    const ipOf = async (ns: string, name: string) => ((await c.admin.get(R.services, ns, name)).spec as { clusterIP: string }).clusterIP;
    assert.equal(await ipOf('default', 'kubernetes'), '10.100.0.1');
    assert.equal(await ipOf('kube-system', 'kube-dns'), '10.100.0.10');
    assert.match(await ipOf('default', 'web'), /^10\.100\.\d+\.\d+$/);
  });

  it('programs a virtual server with the pods as real servers', async () => {
    const ips = await podIPs(c);
    const svcIP = ((await c.admin.get(R.services, 'default', 'web')).spec as { clusterIP: string }).clusterIP;
    const table = await c.until('the virtual server of default/web', async () => {
      const r = await raw(c, '/api/v1/nodes/kubelab-worker2:10249/proxy/rules');
      return r.text.includes(`TCP  ${svcIP}:80 rr`) && (r.text.match(/-> 10\.244\.\d+\.\d+:80 +Masq +1/g) ?? []).length === 3 ? r.text : undefined;
    });
    assert.match(table, /^IP Virtual Server version 1\.2\.1 \(size=4096\)$/m);
    const block = table.slice(table.indexOf(`TCP  ${svcIP}:80 rr`)).split('\n').slice(1, 4);
    assert.deepEqual(block.map((l) => /-> (\S+):80/.exec(l)?.[1]), ips);
    assert.equal((await raw(c, '/api/v1/nodes/kubelab-worker2:10249/proxy/proxyMode')).text, 'ipvs');
  });

  it('carries NodePort traffic to the real servers', async () => {
    const names = (await c.pods('default', 'app=web')).filter(isRunningReady).map((p) => p.metadata.name).sort();
    assert.deepEqual(await nodePortAnswers(c), names);
  });
});
