/**
 * Networking as a user meets it: `npm start --proxy-mode userspace` (the real CLI, 2 workers) driven by the real
 * kubectl. kube-proxy runs as the kube-proxy DaemonSet's pods and CoreDNS as the coredns Deployment in kube-system; a
 * NodePort Service of 3 nginx pods answers on 127.0.0.1:<nodePort> with the pod names, spread over the pods; the
 * kube-proxy's view is readable through the node proxy; the cluster DNS resolves the Service; an Ingress routes a
 * host to it; bad Service specs are refused with kubectl's wording.
 */
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import { test } from 'node:test';
import * as dnsPacket from 'dns-packet';
import { cliClusterSuite } from '../helpers/cli-cluster';
import { parseTable } from '../helpers/kubectl';
import { waitFor } from '../helpers/wait';

function get(port: number, path = '/', host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: host ? { host } : {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function queryA(port: number, name: string): Promise<dnsPacket.Packet> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const timer = setTimeout(() => (sock.close(), reject(new Error('no DNS answer'))), 3000);
    sock.on('message', (m) => {
      clearTimeout(timer);
      sock.close();
      resolve(dnsPacket.decode(m));
    });
    sock.send(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }), port, '127.0.0.1');
  });
}

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  rules:
  - host: web.example
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

test('networking against npm start --proxy-mode userspace: kube-proxy, NodePort traffic, DNS, ingress', { timeout: 150_000 }, async (t) => {
  await cliClusterSuite(t, ['--port', '0', '--dns-port', '0', '--ingress-port', '0', '--nodes', '2', '--time-scale', '0.05', '--proxy-mode', 'userspace'], async ({ k, cli }) => {
    const until = async <T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> =>
      (await waitFor(fn, what, { timeoutMs, intervalMs: 250 })) as T;
    const dnsPort = Number(/^Cluster DNS: 127\.0\.0\.1:(\d+)/m.exec(cli.stdout)?.[1]);
    const ingressPort = Number(/^Ingress: +http:\/\/127\.0\.0\.1:(\d+)\//m.exec(cli.stdout)?.[1]);
    assert.ok(dnsPort > 0 && ingressPort > 0, `the CLI names the DNS and ingress ports\n${cli.stdout}`);

    await t.test('kube-system: a kube-proxy pod per node, CoreDNS, the kube-dns Service', async () => {
      const pods = await until(async () => {
        const r = parseTable(await k.ok(['get', 'pods', '-n', 'kube-system', '-o', 'wide'])).rows;
        const proxies = r.filter((p) => /^kube-proxy-[a-z0-9]{5}$/.test(p.NAME) && p.STATUS === 'Running');
        const dns = r.filter((p) => p.NAME.startsWith('coredns-') && p.STATUS === 'Running');
        return proxies.length === 3 && dns.length === 2 ? proxies : undefined;
      }, '3 kube-proxy pods and 2 coredns pods Running');
      assert.deepEqual(pods.map((p) => p.NODE).sort(), ['kubelab-control-plane', 'kubelab-worker', 'kubelab-worker2']);
      const svc = parseTable(await k.ok(['get', 'svc', '-n', 'kube-system', 'kube-dns'])).rows[0];
      assert.equal(svc['CLUSTER-IP'], '10.96.0.10');
      assert.equal(svc['PORT(S)'], '53/UDP,53/TCP,9153/TCP');
      assert.match(await k.ok(['get', 'ingressclass']), /^kubelab\s+kubelab\.dev\/ingress-controller/m);
    });

    await k.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    await k.ok(['expose', 'deployment', 'web', '--type=NodePort', '--port=80']);
    const nodePort = Number(await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    const podNames = await until(async () => {
      const r = parseTable(await k.ok(['get', 'pods', '-l', 'app=web'])).rows;
      return r.length === 3 && r.every((p) => p.READY === '1/1') ? r.map((p) => p.NAME).sort() : undefined;
    }, '3 web pods ready');

    await t.test('curl 127.0.0.1:<nodePort> reaches the pods through kube-proxy, spread over all three', async () => {
      const seen = new Set<string>();
      await until(async () => {
        const r = await get(nodePort).catch(() => undefined);
        if (r?.status === 200) seen.add(r.body.trim());
        return seen.size === 3;
      }, `answers from all 3 pods on 127.0.0.1:${nodePort} (seen: ${[...seen].join(', ')})`);
      assert.deepEqual([...seen].sort(), podNames);
    });

    await t.test("kube-proxy's view through the node proxy: mode, listener table, metrics, healthz", async () => {
      assert.equal(await k.ok(['get', '--raw', '/api/v1/nodes/kubelab-worker:10249/proxy/proxyMode']), 'userspace');
      const rules = await k.ok(['get', '--raw', '/api/v1/nodes/kubelab-worker:10249/proxy/rules']);
      assert.match(rules, new RegExp(`default/web[\\s\\S]*127\\.0\\.0\\.1:${nodePort}`));
      assert.match(await k.ok(['get', '--raw', '/api/v1/nodes/kubelab-worker:10249/proxy/metrics']), /^kubeproxy_sync_proxy_rules_duration_seconds_count [1-9]/m);
      assert.match(await k.ok(['get', '--raw', '/api/v1/nodes/kubelab-worker:10256/proxy/healthz']), /^\{"lastUpdated": "[^"]+ \+0000 UTC m=\+[\d.]+","currentTime": "[^"]+", "nodeEligible": true\}$/);
      const missing = await k.fails(['get', '--raw', '/api/v1/nodes/kubelab-worker:9999/proxy/metrics']);
      assert.match(missing.stderr, /Error trying to reach service: 'dial tcp 172\.18\.0\.3:9999: connect: connection refused'/);
    });

    await t.test('the cluster DNS answers for the Service', async () => {
      const ip = await k.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
      const a = await until(async () => {
        const r = await queryA(dnsPort, 'web.default.svc.cluster.local');
        return r.answers?.length ? r : undefined;
      }, 'an A record for web');
      assert.deepEqual(a.answers!.map((x) => (x as { data: string }).data), [ip]);
      assert.equal((await queryA(dnsPort, 'nope.default.svc.cluster.local') as { rcode?: string }).rcode, 'NXDOMAIN');
    });

    await t.test('an Ingress routes its host to the Service; its status gets the address', async () => {
      await k.ok(['apply', '-f', '-'], { stdin: INGRESS });
      const r = await until(async () => {
        const x = await get(ingressPort, '/', 'web.example').catch(() => undefined);
        return x?.status === 200 ? x : undefined;
      }, 'the ingress answers for web.example');
      assert.ok(podNames.includes(r.body.trim()), r.body);
      assert.equal((await get(ingressPort, '/', 'other.example')).status, 404);
      await until(async () => (await k.ok(['get', 'ingress', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])) === '127.0.0.1', 'the Ingress status address');
    });

    await t.test('bad Service specs are refused with kubectl wording', async () => {
      const bad = await k.fails(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Service\nmetadata: { name: bad }\nspec: { type: NodePort, ports: [{ port: 70000 }] }\n' });
      assert.match(bad.stderr, /The Service "bad" is invalid: \n\* spec\.ports\[0\]\.port: Invalid value: 70000: must be between 1 and 65535, inclusive\n\* spec\.ports\[0\]\.targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive/);
      const dup = await k.fails(['create', 'service', 'nodeport', 'dup', '--tcp=80:80', `--node-port=${nodePort}`]);
      assert.match(dup.stderr, new RegExp(`^error: failed to create NodePort service: Service "dup" is invalid: spec\\.ports\\[0\\]\\.nodePort: Invalid value: ${nodePort}: provided port is already allocated$`, 'm'));
    });
  });
});
