/**
 * A capturing front for a test cluster: a second HTTPS listener (same CA and serving cert) that records every
 * protobuf request body kubectl sends, and forwards it to the real API server decoded as JSON (so kubectl's command
 * completes). Used by kubectl-capture.test.ts and, run directly, to refresh fixtures.json:
 *
 *   npx tsx test/unit/api/protobuf/capture.ts     (needs kubectl 1.32 on PATH)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../../../src/base/logger';
import { renderKubeconfig } from '../../../../src/cluster/kubeconfig';
import { serveHttps, type HttpsServer } from '../../../../src/apiserver/https';
import { decodeProtobufBody, isProtobufContentType } from '../../../../src/api/protobuf';
import { StatusError } from '../../../../src/api/status';
import type { ApiRequest, ApiResponse } from '../../../../src/apiserver/request';
import { startTestCluster, type TestCluster } from '../../../helpers/apiserver';
import { Kubectl } from '../../../helpers/kubectl';

export interface Captured {
  method: string;
  path: string;
  body: Buffer;
}

export interface CaptureFront {
  tc: TestCluster;
  kubectl: Kubectl;
  captured: Captured[];
  close(): Promise<void>;
}

/** Commands whose typed clients send protobuf; the dry-run JSON of each is the oracle. */
export const COMMANDS: { name: string; args: string[] }[] = [
  { name: 'deployment', args: ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0', '--port=80'] },
  { name: 'deployment-multi', args: ['create', 'deployment', 'multi', '--image=nginx', '--image=busybox'] },
  { name: 'configmap', args: ['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b='] },
  { name: 'secret', args: ['create', 'secret', 'generic', 'sec', '--from-literal=user=admin', '--from-literal=empty=', '--type=Opaque'] },
  { name: 'secret-tls-like', args: ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'] },
  { name: 'namespace', args: ['create', 'namespace', 'team-a'] },
  { name: 'service', args: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443'] },
  { name: 'service-nodeport', args: ['create', 'service', 'nodeport', 'np', '--tcp=80:http', '--node-port=30080'] },
  { name: 'service-headless', args: ['create', 'service', 'clusterip', 'hl', '--clusterip=None'] },
  { name: 'job', args: ['create', 'job', 'once', '--image=busybox'] },
  { name: 'cronjob', args: ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure'] },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'robot'] },
  { name: 'role', args: ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x'] },
  { name: 'rolebinding', args: ['create', 'rolebinding', 'rb', '--role=reader', '--user=alice', '--serviceaccount=default:robot'] },
  { name: 'clusterrole', args: ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'] },
  { name: 'clusterrole-aggregate', args: ['create', 'clusterrole', 'agg', '--aggregation-rule=team=a'] },
  { name: 'clusterrolebinding', args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=devs'] },
  { name: 'priorityclass', args: ['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'] },
  { name: 'quota', args: ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=10', '--scopes=BestEffort'] },
  { name: 'ingress', args: ['create', 'ingress', 'ing', '--rule=example.com/path*=svc:8080', '--class=nginx', '--annotation=a=b'] },
  { name: 'poddisruptionbudget', args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=50%'] },
  { name: 'poddisruptionbudget-int', args: ['create', 'poddisruptionbudget', 'pdb2', '--selector=app=web', '--max-unavailable=1'] },
  { name: 'autoscale', args: ['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80'] },
];

/**
 * Protobuf senders with no --dry-run: the expected JSON is what Go's encoding/json prints for the struct kubectl
 * builds (create_token.go: TokenRequest{Spec: {Audiences, ExpirationSeconds: &s, BoundObjectRef: &{Kind, APIVersion
 * "v1", Name, UID}}}; `audiences` and the pointers have no omitempty, Status is a struct, Time zero → null).
 */
export const EXTRA: { name: string; args: string[]; expected: Record<string, unknown> }[] = [
  {
    name: 'token',
    args: ['create', 'token', 'robot', '--audience=api', '--duration=1h', '--bound-object-kind=Pod', '--bound-object-name=p1', '--bound-object-uid=123'],
    expected: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: '123' } },
      status: { token: '', expirationTimestamp: null },
    },
  },
  {
    name: 'token-plain',
    args: ['create', 'token', 'robot'],
    expected: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { audiences: null, expirationSeconds: null, boundObjectRef: null },
      status: { token: '', expirationTimestamp: null },
    },
  },
];

export async function startCaptureFront(): Promise<CaptureFront> {
  const tc = await startTestCluster();
  const captured: Captured[] = [];
  const pki = path.join(tc.dir, 'pki');
  const forward = async (req: ApiRequest): Promise<ApiResponse> => {
    if (Buffer.isBuffer(req.body) && isProtobufContentType(req.headers['content-type'])) {
      captured.push({ method: req.method, path: req.path, body: req.body });
      try {
        const { object } = decodeProtobufBody(req.body);
        req = { ...req, body: Buffer.from(JSON.stringify(object)), headers: { ...req.headers, 'content-type': 'application/json' } };
      } catch (e) {
        if (e instanceof StatusError) return { status: e.code, body: e.status };
        throw e;
      }
    }
    return tc.cluster.handle(req);
  };
  const front: HttpsServer = await serveHttps(forward, {
    host: '127.0.0.1',
    port: 0,
    key: fs.readFileSync(path.join(pki, 'apiserver.key'), 'utf8'),
    cert: fs.readFileSync(path.join(pki, 'apiserver.crt'), 'utf8'),
    logger: silentLogger,
  });
  const kubeconfig = path.join(tc.dir, 'capture-kubeconfig');
  fs.writeFileSync(kubeconfig, renderKubeconfig(`https://127.0.0.1:${front.port}`, tc.cluster.caCert, tc.cluster.adminToken), { mode: 0o600 });
  const kubectl = new Kubectl({ kubeconfig });
  return {
    tc,
    kubectl,
    captured,
    async close() {
      await kubectl.dispose();
      await front.close();
      await tc.stop();
    },
  };
}

export interface Fixture {
  name: string;
  args: string[];
  /** The captured request body, base64. */
  protobuf: string;
  /** `kubectl … --dry-run=client -o json` for the same command (EXTRA: the hand-derived expectation). */
  dryRun: Record<string, unknown>;
}

/** Runs every command dry-run (the oracle) and for real (captured); returns one fixture per command. */
export async function captureAll(front: CaptureFront): Promise<{ fixtures: Fixture[]; problems: string[] }> {
  const fixtures: Fixture[] = [];
  const problems: string[] = [];
  for (const c of COMMANDS) {
    const dry = await front.kubectl.run([...c.args, '--dry-run=client', '-o', 'json']);
    const before = front.captured.length;
    const real = await front.kubectl.run(c.args);
    const got = front.captured.slice(before).filter((x) => x.method === 'POST');
    if (dry.code !== 0 || got.length !== 1) {
      problems.push(`${c.name}: dry-run rc ${dry.code}, real rc ${real.code}, ${got.length} protobuf POSTs\n${dry.stderr}${real.stderr}`);
      continue;
    }
    fixtures.push({ name: c.name, args: c.args, protobuf: got[0].body.toString('base64'), dryRun: JSON.parse(dry.stdout) as Record<string, unknown> });
  }
  for (const c of EXTRA) {
    const before = front.captured.length;
    await front.kubectl.run(c.args);
    const got = front.captured.slice(before).filter((x) => x.method === 'POST');
    if (got.length !== 1) problems.push(`${c.name}: ${got.length} protobuf POSTs`);
    else fixtures.push({ name: c.name, args: c.args, protobuf: got[0].body.toString('base64'), dryRun: c.expected });
  }
  return { fixtures, problems };
}

export const FIXTURES_FILE = path.join(__dirname, 'fixtures.json');

if (require.main === module) {
  void (async () => {
    const front = await startCaptureFront();
    try {
      const { fixtures, problems } = await captureAll(front);
      for (const p of problems) console.error(p);
      fs.writeFileSync(FIXTURES_FILE, `${JSON.stringify(fixtures, null, 1)}\n`);
      console.log(`wrote ${fixtures.length} fixtures to ${FIXTURES_FILE}`);
    } finally {
      await front.close();
    }
  })();
}
