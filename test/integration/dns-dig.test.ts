/**
 * The cluster DNS end to end, checked with the real `dig` (Debian's dnsutils): a KubeLab API server holds kubeadm's
 * CoreDNS objects, Services (ClusterIP, headless with StatefulSet-style hostnames, ExternalName) and hand-made
 * EndpointSlices; ClusterDns watches them and serves 127.0.0.1:<port>; dig asks for A, AAAA, SRV, PTR, CNAME, NS,
 * SOA, TXT, pod records, NXDOMAIN, names outside the cluster (REFUSED), and an answer too big for 512-byte UDP
 * (TC, then dig's retry over TCP). Skipped, with the reason, when dig is not on PATH.
 */
import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ClusterDns, corednsManifests, dnsServiceIP } from '../../src/addons/dns';
import { silentLogger } from '../../src/base/logger';
import type { Transport } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { waitFor } from '../helpers/wait';

const digMissing = spawnSync('dig', ['-v'], { encoding: 'utf8' }).error ? 'dig is not on PATH (apt-get install dnsutils)' : false;
if (digMissing) process.stdout.write(`# dns-dig: skipped: ${digMissing}\n`);

const run = promisify(execFile);

interface Dig {
  status: string;
  flags: string[];
  answer: string[];
  authority: string[];
  additional: string[];
}

/** Runs dig (asynchronously: the server answers from this very process) and splits its output into sections. */
async function dig(port: number, ...args: string[]): Promise<Dig> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=3', '+noall', '+comments', '+answer', '+authority', '+additional', ...args]);
  const out: Dig = { status: '', flags: [], answer: [], authority: [], additional: [] };
  let section: 'answer' | 'authority' | 'additional' | undefined;
  for (const line of stdout.split('\n')) {
    const status = /status: (\w+)/.exec(line);
    if (status) out.status = status[1]!;
    const flags = /^;; flags: ([^;]*);/.exec(line);
    if (flags) out.flags = flags[1]!.trim().split(/\s+/);
    const sec = /^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION:/.exec(line);
    if (sec) section = sec[1]!.toLowerCase() as typeof section;
    else if (line.startsWith(';') || !line.trim()) continue;
    else if (section) out[section].push(line.trim().split(/\s+/).join(' '));
  }
  return out;
}

const SOA_RE = /^cluster\.local\. 30 IN SOA ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30$/;

/** A test that needs dig: skipped, with the reason, without it. */
const digIt = (name: string, fn: () => Promise<void>) => it(name, { skip: digMissing }, fn);

describe('cluster DNS answers dig', () => {
  let t: TestCluster;
  let api: Transport;
  let dns: ClusterDns;
  const create = async (path: string, body: unknown) => {
    const res = await api.request({ method: 'POST', path, body });
    assert.ok(res.status === 201 || res.status === 200, `POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const slice = (name: string, service: string, eps: { ip: string; hostname?: string; ready?: boolean }[]) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: eps.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready ?? true }, ...(e.hostname ? { hostname: e.hostname } : {}) })),
  });

  before(async () => {
    if (digMissing) return;
    t = await startTestCluster();
    api = t.inProcess();
    const dnsIP = dnsServiceIP('10.96.0.0/12');
    dns = new ClusterDns({ transport: t.inProcess(), logger: silentLogger, nameserverIP: dnsIP });
    await dns.start({ port: 0 });
    // kubeadm's CoreDNS objects must be accepted by the API server as they are.
    for (const o of corednsManifests({ clusterIP: dnsIP, dnsPort: dns.port })) {
      const ns = o.metadata?.namespace;
      const plural = `${String(o.kind).toLowerCase()}s`;
      const group = String(o.apiVersion).includes('/') ? `/apis/${String(o.apiVersion)}` : `/api/${String(o.apiVersion)}`;
      await create(`${group}${ns ? `/namespaces/${ns}` : ''}/${plural}`, o);
    }
    const svcs = '/api/v1/namespaces/default/services';
    await create(svcs, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { clusterIP: '10.96.100.100', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    await create(svcs, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] } });
    await create(svcs, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    await create(svcs, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'big' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] } });
    const slices = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
    await create(slices, slice('web-1', 'web', [{ ip: '10.244.1.5', hostname: 'web-0' }, { ip: '10.244.2.6', hostname: 'web-1' }, { ip: '10.244.2.7', hostname: 'web-2', ready: false }]));
    await create(slices, slice('big-1', 'big', Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.3.${i + 1}` }))));
    await waitFor(() => dns.records.resolve('big.default.svc.cluster.local', 'A').answers.length === 60, 'the records to arrive');
  });
  after(async () => {
    await dns?.stop();
    await t?.stop();
  });

  digIt('A for a ClusterIP Service and for the DNS Service itself', async () => {
    const r = await dig(dns.port, 'api.default.svc.cluster.local', 'A');
    assert.equal(r.status, 'NOERROR');
    assert.deepEqual(r.flags, ['qr', 'aa', 'rd']);
    assert.deepEqual(r.answer, ['api.default.svc.cluster.local. 30 IN A 10.96.100.100']);
    assert.deepEqual((await dig(dns.port, 'kube-dns.kube-system.svc.cluster.local')).answer, ['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10']);
  });

  digIt('A for a headless Service (ready endpoints) and a StatefulSet pod hostname', async () => {
    assert.deepEqual((await dig(dns.port, 'web.default.svc.cluster.local')).answer.sort(), ['web.default.svc.cluster.local. 30 IN A 10.244.1.5', 'web.default.svc.cluster.local. 30 IN A 10.244.2.6']);
    assert.deepEqual((await dig(dns.port, 'web-0.web.default.svc.cluster.local')).answer, ['web-0.web.default.svc.cluster.local. 30 IN A 10.244.1.5']);
    assert.equal((await dig(dns.port, 'web-2.web.default.svc.cluster.local')).status, 'NXDOMAIN');
  });

  digIt('AAAA for an existing name is NODATA with the SOA', async () => {
    const r = await dig(dns.port, 'api.default.svc.cluster.local', 'AAAA');
    assert.equal(r.status, 'NOERROR');
    assert.deepEqual(r.answer, []);
    assert.match(r.authority[0] ?? '', SOA_RE);
  });

  digIt('SRV for a named port, with the targets in the additional section', async () => {
    const r = await dig(dns.port, '_http._tcp.web.default.svc.cluster.local', 'SRV');
    assert.deepEqual(r.answer.sort(), [
      '_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 50 8080 web-0.web.default.svc.cluster.local.',
      '_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 50 8080 web-1.web.default.svc.cluster.local.',
    ]);
    assert.deepEqual(r.additional.sort(), ['web-0.web.default.svc.cluster.local. 30 IN A 10.244.1.5', 'web-1.web.default.svc.cluster.local. 30 IN A 10.244.2.6']);
    assert.deepEqual((await dig(dns.port, '_http._tcp.api.default.svc.cluster.local', 'SRV')).answer, ['_http._tcp.api.default.svc.cluster.local. 30 IN SRV 0 100 80 api.default.svc.cluster.local.']);
  });

  digIt('PTR for a Service IP and an endpoint IP (dig -x)', async () => {
    assert.deepEqual((await dig(dns.port, '-x', '10.96.100.100')).answer, ['100.100.96.10.in-addr.arpa. 30 IN PTR api.default.svc.cluster.local.']);
    assert.deepEqual((await dig(dns.port, '-x', '10.244.2.6')).answer, ['6.2.244.10.in-addr.arpa. 30 IN PTR web-1.web.default.svc.cluster.local.']);
    assert.equal((await dig(dns.port, '-x', '192.0.2.1')).status, 'REFUSED');
  });

  digIt('CNAME for an ExternalName Service', async () => {
    assert.deepEqual((await dig(dns.port, 'ext.default.svc.cluster.local', 'CNAME')).answer, ['ext.default.svc.cluster.local. 30 IN CNAME db.example.com.']);
    assert.deepEqual((await dig(dns.port, 'ext.default.svc.cluster.local', 'A')).answer, ['ext.default.svc.cluster.local. 30 IN CNAME db.example.com.']);
  });

  digIt('pod A records, NS, SOA and the schema version', async () => {
    assert.deepEqual((await dig(dns.port, '10-244-7-8.default.pod.cluster.local')).answer, ['10-244-7-8.default.pod.cluster.local. 30 IN A 10.244.7.8']);
    const ns = await dig(dns.port, 'cluster.local', 'NS');
    assert.deepEqual(ns.answer, ['cluster.local. 30 IN NS kube-dns.kube-system.svc.cluster.local.']);
    assert.deepEqual(ns.additional, ['kube-dns.kube-system.svc.cluster.local. 30 IN A 10.96.0.10']);
    assert.match((await dig(dns.port, 'cluster.local', 'SOA')).answer[0] ?? '', SOA_RE);
    assert.deepEqual((await dig(dns.port, 'dns-version.cluster.local', 'TXT')).answer, ['dns-version.cluster.local. 28800 IN TXT "1.1.0"']);
  });

  digIt('NXDOMAIN for unknown names, case-insensitively found names, REFUSED outside the cluster', async () => {
    const nx = await dig(dns.port, 'nope.default.svc.cluster.local');
    assert.equal(nx.status, 'NXDOMAIN');
    assert.match(nx.authority[0] ?? '', SOA_RE);
    assert.equal((await dig(dns.port, 'api.nosuchns.svc.cluster.local')).status, 'NXDOMAIN');
    assert.deepEqual((await dig(dns.port, 'API.Default.SVC.cluster.local')).answer, ['API.Default.SVC.cluster.local. 30 IN A 10.96.100.100']);
    const out = await dig(dns.port, 'example.com');
    assert.equal(out.status, 'REFUSED');
    assert.ok(!out.flags.includes('aa'));
  });

  digIt('sets TC on a UDP answer over 512 bytes without EDNS, and dig gets it whole over TCP', async () => {
    const truncated = await dig(dns.port, '+noedns', '+ignore', 'big.default.svc.cluster.local');
    assert.ok(truncated.flags.includes('tc'), truncated.flags.join(' '));
    assert.ok(truncated.answer.length < 60);
    assert.equal((await dig(dns.port, '+noedns', 'big.default.svc.cluster.local')).answer.length, 60, 'dig retries over TCP');
    assert.equal((await dig(dns.port, '+tcp', 'big.default.svc.cluster.local')).answer.length, 60);
    assert.equal((await dig(dns.port, 'big.default.svc.cluster.local')).answer.length, 60, 'fits in EDNS 1232');
  });

  digIt('follows API changes', async () => {
    await api.request({ method: 'DELETE', path: '/api/v1/namespaces/default/services/api' });
    await waitFor(async () => (await dig(dns.port, 'api.default.svc.cluster.local')).status === 'NXDOMAIN', 'the Service to vanish', { timeoutMs: 5000 });
  });
});
