/**
 * The controllers' side of the crash scenario: Deployments created before the rounds, one of them scaled up and down
 * while the clients write (so the controllers have work in flight at the kill), and the convergence check run after
 * each restart. `convergenceProblem` returns undefined when every Deployment is at its replica count — observed
 * generation current, ready = available = updated = replicas, exactly `replicas` non-terminating pods owned through
 * one of its ReplicaSets, each Running and Ready — and no pod of the namespace is stuck (terminating, not Running, or
 * owned by nothing live); otherwise a short description of what is still off.
 */
import type { RestResponse, Transport } from '../../../src/client/transport';

export interface DeploymentSpec {
  name: string;
  replicas: number;
}

interface Meta {
  name: string;
  uid: string;
  generation?: number;
  deletionTimestamp?: string;
  ownerReferences?: { uid: string; controller?: boolean }[];
}
interface DeploymentObj {
  metadata: Meta;
  spec: { replicas: number };
  status?: { observedGeneration?: number; replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number };
}
interface PodObj {
  metadata: Meta;
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

const apps = (ns: string) => `/apis/apps/v1/namespaces/${ns}`;

export function deploymentManifest(d: DeploymentSpec): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { app: d.name } },
      template: { metadata: { labels: { app: d.name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    },
  };
}

async function ok(t: Transport, req: Parameters<Transport['request']>[0]): Promise<RestResponse> {
  const res = await t.request(req);
  if (res.status < 200 || res.status >= 300) throw new Error(`${req.method} ${req.path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
}

export async function createNamespace(t: Transport, ns: string): Promise<void> {
  await ok(t, { method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
}

export async function createDeployments(t: Transport, ns: string, specs: DeploymentSpec[]): Promise<void> {
  for (const d of specs) await ok(t, { method: 'POST', path: `${apps(ns)}/deployments`, body: deploymentManifest(d) });
}

async function items<T>(t: Transport, path: string): Promise<T[]> {
  return ((await ok(t, { method: 'GET', path })).body as { items: T[] }).items;
}

/** The replica counts the Deployments have now (by name). */
export async function replicaCounts(t: Transport, ns: string): Promise<Map<string, number>> {
  return new Map((await items<DeploymentObj>(t, `${apps(ns)}/deployments`)).map((d) => [d.metadata.name, d.spec.replicas]));
}

/** One scale write (`kubectl scale`: a merge patch of the scale subresource): its outcome and, unless acked, why. */
export async function scale(t: Transport, ns: string, name: string, replicas: number): Promise<{ outcome: 'acked' | 'rejected' | 'unknown'; detail?: string }> {
  try {
    const res = await t.request({ method: 'PATCH', path: `${apps(ns)}/deployments/${name}/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas } } });
    if (res.status >= 200 && res.status < 300) return { outcome: 'acked' };
    return { outcome: res.status >= 500 ? 'unknown' : 'rejected', detail: `${res.status} ${JSON.stringify(res.body).slice(0, 300)}` };
  } catch (e) {
    return { outcome: 'unknown', detail: (e as Error).message };
  }
}

const ready = (p: PodObj) => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const controllerOf = (m: Meta) => m.ownerReferences?.find((r) => r.controller)?.uid;

/** undefined when converged (see the file comment), else what is off. */
export async function convergenceProblem(t: Transport, ns: string): Promise<string | undefined> {
  const [deps, rss, pods] = await Promise.all([
    items<DeploymentObj>(t, `${apps(ns)}/deployments`),
    items<{ metadata: Meta }>(t, `${apps(ns)}/replicasets`),
    items<PodObj>(t, `/api/v1/namespaces/${ns}/pods`),
  ]);
  const rsOwner = new Map(rss.filter((r) => !r.metadata.deletionTimestamp).map((r) => [r.metadata.uid, controllerOf(r.metadata)]));
  const problems: string[] = [];
  let wanted = 0;
  for (const d of deps) {
    const n = d.spec.replicas;
    wanted += n;
    const s = d.status ?? {};
    if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) problems.push(`${d.metadata.name}: generation ${d.metadata.generation} not observed`);
    const counts = [s.replicas ?? 0, s.readyReplicas ?? 0, s.availableReplicas ?? 0, s.updatedReplicas ?? 0];
    if (counts.some((x) => x !== n)) problems.push(`${d.metadata.name}: replicas/ready/available/updated ${counts.join('/')} of ${n}`);
    const owned = pods.filter((p) => !p.metadata.deletionTimestamp && rsOwner.get(controllerOf(p.metadata) ?? '') === d.metadata.uid);
    if (owned.length !== n || !owned.every(ready)) problems.push(`${d.metadata.name}: ${owned.filter(ready).length} ready of ${owned.length} owned pods, want ${n}`);
  }
  const stuck = pods.filter((p) => p.metadata.deletionTimestamp || !ready(p) || !rsOwner.has(controllerOf(p.metadata) ?? ''));
  if (stuck.length) problems.push(`pods not Running+Ready, terminating or orphaned: ${stuck.map((p) => `${p.metadata.name}(${p.status?.phase ?? '?'}${p.metadata.deletionTimestamp ? ',terminating' : ''})`).join(' ')}`);
  if (pods.length !== wanted && !problems.length) problems.push(`${pods.length} pods for ${wanted} replicas`);
  return problems.length ? problems.join('; ') : undefined;
}
