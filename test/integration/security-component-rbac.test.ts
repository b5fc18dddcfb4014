/**
 * RBAC (with the Node authorizer and NodeRestriction) holds for KubeLab's own components: each identity the cluster
 * gives a component can do its job and nothing beyond it. The identities are the ones the components use
 * (nodeUser, PROXY_USER, SCHEDULER_USER, CONTROLLER_MANAGER_USER, the controllers' ServiceAccounts), presented two
 * ways: in process (how the components reach the API server) and over HTTPS with a client certificate from the
 * cluster CA (CN = user, O = groups, what kube-apiserver's x509 authenticator reads). Refusals carry upstream's text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { UserInfo } from '../../src/apiserver/request';
import { issueClientCertificate, type IssuedCertificate } from '../../src/apiserver/pki/client-certs';
import { InProcessTransport } from '../../src/client/in-process';
import { CONTROLLER_MANAGER_USER } from '../../src/controllers/manager';
import { nodeUser } from '../../src/kubelet/node/identity';
import { PROXY_USER } from '../../src/proxy/kube-proxy';
import { SCHEDULER_USER } from '../../src/scheduler/scheduler';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';

const JOB_CONTROLLER: UserInfo = { name: 'system:serviceaccount:kube-system:job-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] };

interface Answer {
  status: number;
  message?: string;
}

interface Case {
  who: string;
  user: UserInfo;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  status: number;
  message?: string | RegExp;
}

const pod = (name: string, node: string, secret: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 's', secret: { secretName: secret } }] },
});
const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, stringData: { k: 'v' } });
const MERGE = { 'content-type': 'application/merge-patch+json' };

const N1 = nodeUser('n1');

const CASES: Case[] = [
  // kubelet of n1. Modifying another node or another node's pod status: upstream's Node authorizer lets these
  // through and NodeRestriction refuses them (`node "n1" is not allowed to modify node "n2"`); KubeLab's Node
  // authorizer refuses them earlier with its own reason, so only the refusal is pinned here.
  { who: 'kubelet n1', user: N1, method: 'GET', path: '/api/v1/namespaces/default/secrets/s1', status: 200 },
  { who: 'kubelet n1', user: N1, method: 'GET', path: '/api/v1/namespaces/default/secrets/s2', status: 403, message: `secrets "s2" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object` },
  { who: 'kubelet n1', user: N1, method: 'GET', path: '/api/v1/namespaces/default/secrets', status: 403, message: 'secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "default": No Object name found' },
  { who: 'kubelet n1', user: N1, method: 'PATCH', path: '/api/v1/nodes/n1', body: { metadata: { labels: { a: 'b' } } }, status: 200 },
  { who: 'kubelet n1', user: N1, method: 'PATCH', path: '/api/v1/nodes/n2', body: { metadata: { labels: { a: 'b' } } }, status: 403, message: /^nodes "n2" is forbidden: / },
  { who: 'kubelet n1', user: N1, method: 'DELETE', path: '/api/v1/nodes/n2', status: 403, message: 'nodes "n2" is forbidden: User "system:node:n1" cannot delete resource "nodes" in API group "" at the cluster scope' },
  { who: 'kubelet n1', user: N1, method: 'PATCH', path: '/api/v1/namespaces/default/pods/p2/status', body: { status: { phase: 'Failed' } }, status: 403, message: /^pods "p2" is forbidden: / },
  // kube-proxy
  { who: 'kube-proxy', user: PROXY_USER, method: 'GET', path: '/api/v1/services', status: 200 },
  { who: 'kube-proxy', user: PROXY_USER, method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('x', 'n1', 's1'), status: 403, message: 'pods is forbidden: User "system:kube-proxy" cannot create resource "pods" in API group "" in the namespace "default"' },
  { who: 'kube-proxy', user: PROXY_USER, method: 'GET', path: '/api/v1/namespaces/default/secrets/s1', status: 403, message: 'secrets "s1" is forbidden: User "system:kube-proxy" cannot get resource "secrets" in API group "" in the namespace "default"' },
  // kube-scheduler
  { who: 'kube-scheduler', user: SCHEDULER_USER, method: 'GET', path: '/api/v1/pods', status: 200 },
  { who: 'kube-scheduler', user: SCHEDULER_USER, method: 'DELETE', path: '/api/v1/namespaces/team', status: 403, message: 'namespaces "team" is forbidden: User "system:kube-scheduler" cannot delete resource "namespaces" in API group "" in the namespace "team"' },
  { who: 'kube-scheduler', user: SCHEDULER_USER, method: 'GET', path: '/api/v1/namespaces/default/secrets', status: 403, message: 'secrets is forbidden: User "system:kube-scheduler" cannot list resource "secrets" in API group "" in the namespace "default"' },
  // kube-controller-manager (its informers) and one controller's ServiceAccount
  { who: 'kube-controller-manager', user: CONTROLLER_MANAGER_USER, method: 'DELETE', path: '/api/v1/nodes/n1', status: 403, message: 'nodes "n1" is forbidden: User "system:kube-controller-manager" cannot delete resource "nodes" in API group "" at the cluster scope' },
  { who: 'job-controller', user: JOB_CONTROLLER, method: 'GET', path: '/api/v1/namespaces/default/secrets/s1', status: 403, message: 'secrets "s1" is forbidden: User "system:serviceaccount:kube-system:job-controller" cannot get resource "secrets" in API group "" in the namespace "default"' },
];

function check(c: Case, got: Answer): void {
  const label = `${c.who}: ${c.method} ${c.path}`;
  assert.equal(got.status, c.status, `${label} → ${got.status} ${got.message ?? ''}`);
  if (c.message instanceof RegExp) assert.match(got.message ?? '', c.message, label);
  else if (c.message !== undefined) assert.equal(got.message, c.message, label);
}

describe('RBAC for KubeLab components', () => {
  let tc: TestCluster;
  let ca: { certPem: string; keyPem: string };
  const certs = new Map<string, IssuedCertificate>();

  before(async () => {
    tc = await startTestCluster();
    ca = { certPem: fs.readFileSync(path.join(tc.dir, 'pki', 'ca.crt'), 'utf8'), keyPem: fs.readFileSync(path.join(tc.dir, 'pki', 'ca.key'), 'utf8') };
    const admin = tc.inProcess();
    const create = async (p: string, body: unknown) => {
      const r = await admin.request({ method: 'POST', path: p, body });
      assert.equal(r.status, 201, `${p}: ${JSON.stringify(r.body)}`);
    };
    await create('/api/v1/nodes', node('n1'));
    await create('/api/v1/nodes', node('n2'));
    await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await create('/api/v1/namespaces/default/secrets', secret('s1'));
    await create('/api/v1/namespaces/default/secrets', secret('s2'));
    // The default ServiceAccount must exist before pods that use it are admitted.
    await waitForDefaultServiceAccount(admin);
    await create('/api/v1/namespaces/default/pods', pod('p1', 'n1', 's1'));
    await create('/api/v1/namespaces/default/pods', pod('p2', 'n2', 's2'));
  });
  after(() => tc.stop());

  async function waitForDefaultServiceAccount(t: InProcessTransport | ReturnType<TestCluster['inProcess']>): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await t.request({ method: 'GET', path: '/api/v1/namespaces/default/serviceaccounts/default' })).status === 200) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no default ServiceAccount');
  }

  async function inProcess(c: Case): Promise<Answer> {
    const t = new InProcessTransport({ handle: (r) => tc.cluster.handle(r), user: c.user });
    try {
      const r = await t.request({ method: c.method, path: c.path, body: c.body, headers: c.method === 'PATCH' ? MERGE : undefined });
      return { status: r.status, message: (r.body as { message?: string } | undefined)?.message };
    } finally {
      t.close();
    }
  }

  function overHttps(c: Case): Promise<Answer> {
    let cert = certs.get(c.user.name);
    if (!cert) {
      cert = issueClientCertificate(ca, c.user.name, c.user.groups.filter((g) => g !== 'system:authenticated'));
      certs.set(c.user.name, cert);
    }
    const url = new URL(c.path, tc.cluster.url);
    const body = c.body === undefined ? undefined : JSON.stringify(c.body);
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method: c.method, ca: tc.cluster.caCert, cert: cert.certPem, key: cert.keyPem, agent: false, headers: { accept: 'application/json', ...(body ? { 'content-type': c.method === 'PATCH' ? MERGE['content-type'] : 'application/json' } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, message: text ? (JSON.parse(text) as { message?: string }).message : undefined }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  for (const c of CASES) {
    it(`${c.who}: ${c.method} ${c.path} → ${c.status} (in process)`, async () => check(c, await inProcess(c)));
    it(`${c.who}: ${c.method} ${c.path} → ${c.status} (HTTPS, client certificate)`, async () => check(c, await overHttps(c)));
  }
});
