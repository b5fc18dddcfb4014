/**
 * The workload the node-failure scenario keeps running, and its availability as the API reports it. In namespace
 * `reliability-nodes`: Deployments `front` (3 replicas) and `back` (2), StatefulSet `db` (3 replicas, headless
 * Service `db`, the default OrderedReady policy) and DaemonSet `agent`. The Deployment and StatefulSet pods tolerate
 * the node.kubernetes.io/unreachable and not-ready NoExecute taints for `tolerationSeconds` (instead of the 300 s the
 * DefaultTolerationSeconds admission plugin would add) so that eviction follows the node lifecycle controller's grace
 * period quickly; the DaemonSet gets the DaemonSet controller's own tolerations (it is never evicted).
 *
 * `availability()` reads the workloads and pods: the desired state holds when every Deployment has readyReplicas ==
 * replicas, the StatefulSet readyReplicas == replicas, the DaemonSet numberReady == desiredNumberScheduled (> 0), each
 * status has observed the current generation, and no pod of the namespace is Terminating.
 */
import type { Transport } from '../../../src/client/transport';

type Obj = Record<string, unknown>;

export const NODE_FAULT_NAMESPACE = 'reliability-nodes';
export const DEPLOYMENTS: Readonly<Record<string, number>> = { front: 3, back: 2 };
export const STATEFULSET = 'db';
export const STATEFULSET_REPLICAS = 3;
export const DAEMONSET = 'agent';

const ns = NODE_FAULT_NAMESPACE;
const APPS = `/apis/apps/v1/namespaces/${ns}`;

function podTemplate(app: string, tolerationSeconds: number | undefined): Obj {
  const tolerations =
    tolerationSeconds === undefined
      ? undefined
      : ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds }));
  return {
    metadata: { labels: { app } },
    spec: { terminationGracePeriodSeconds: 2, containers: [{ name: app, image: 'nginx:1.27' }], ...(tolerations ? { tolerations } : {}) },
  };
}

/** The objects to create, in order: [collection path, body]. */
export function workloadObjects(tolerationSeconds: number): [string, Obj][] {
  const out: [string, Obj][] = [
    ['/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }],
    [`/api/v1/namespaces/${ns}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: STATEFULSET }, spec: { clusterIP: 'None', selector: { app: STATEFULSET }, ports: [{ port: 80 }] } }],
  ];
  for (const [name, replicas] of Object.entries(DEPLOYMENTS)) {
    out.push([`${APPS}/deployments`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: podTemplate(name, tolerationSeconds) } }]);
  }
  out.push([
    `${APPS}/statefulsets`,
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: STATEFULSET }, spec: { replicas: STATEFULSET_REPLICAS, serviceName: STATEFULSET, selector: { matchLabels: { app: STATEFULSET } }, template: podTemplate(STATEFULSET, tolerationSeconds) } },
  ]);
  out.push([`${APPS}/daemonsets`, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: DAEMONSET }, spec: { selector: { matchLabels: { app: DAEMONSET } }, template: podTemplate(DAEMONSET, undefined) } }]);
  return out;
}

export async function createWorkload(t: Transport, tolerationSeconds: number): Promise<void> {
  for (const [path, body] of workloadObjects(tolerationSeconds)) {
    const res = await t.request({ method: 'POST', path, body });
    if (res.status !== 201) throw new Error(`creating ${String(body.kind)} ${String((body.metadata as Obj).name)}: HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

async function get(t: Transport, path: string): Promise<Obj> {
  const res = await t.request({ method: 'GET', path });
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body as Obj;
}

const items = (list: Obj) => (list.items ?? []) as Obj[];
const m = (o: Obj) => (o.metadata ?? {}) as Obj;
const st = (o: Obj) => (o.status ?? {}) as Record<string, number | undefined>;
const sp = (o: Obj) => (o.spec ?? {}) as Record<string, unknown>;
const current = (o: Obj) => (st(o).observedGeneration ?? 0) >= Number(m(o).generation ?? 0);

export interface Availability {
  /** Every workload at its desired state and no pod Terminating. */
  ok: boolean;
  /** The Deployments alone are at their desired state. */
  deploymentsOk: boolean;
  /** Why not, one phrase per shortfall (`deployment front 2/3 ready`, `pod db-1 terminating on kubelab-worker2`). */
  short: string[];
  /** The pods: name → node, terminating. */
  pods: { name: string; uid: string; node: string; terminating: boolean; statefulSet: boolean }[];
}

export async function availability(t: Transport): Promise<Availability> {
  const [deps, sets, daemons, pods] = await Promise.all([get(t, `${APPS}/deployments`), get(t, `${APPS}/statefulsets`), get(t, `${APPS}/daemonsets`), get(t, `/api/v1/namespaces/${ns}/pods`)]);
  const short: string[] = [];
  for (const d of items(deps)) {
    const want = Number(sp(d).replicas ?? 1);
    const ready = st(d).readyReplicas ?? 0;
    if (ready !== want || !current(d)) short.push(`deployment ${String(m(d).name)} ${ready}/${want} ready`);
  }
  const deploymentsOk = short.length === 0 && items(deps).length === Object.keys(DEPLOYMENTS).length;
  for (const s of items(sets)) {
    const want = Number(sp(s).replicas ?? 1);
    const ready = st(s).readyReplicas ?? 0;
    if (ready !== want || !current(s)) short.push(`statefulset ${String(m(s).name)} ${ready}/${want} ready`);
  }
  for (const d of items(daemons)) {
    const want = st(d).desiredNumberScheduled ?? 0;
    const ready = st(d).numberReady ?? 0;
    if (ready !== want || want === 0 || !current(d)) short.push(`daemonset ${String(m(d).name)} ${ready}/${want} ready`);
  }
  const podList = items(pods).map((p) => ({
    name: String(m(p).name),
    uid: String(m(p).uid),
    node: String(sp(p).nodeName ?? ''),
    terminating: m(p).deletionTimestamp != null,
    statefulSet: ((m(p).ownerReferences ?? []) as Obj[]).some((o) => o.kind === 'StatefulSet'),
  }));
  for (const p of podList) if (p.terminating) short.push(`pod ${p.name} terminating on ${p.node}`);
  if (items(sets).length !== 1 || items(daemons).length !== 1) short.push('workload objects missing');
  return { ok: short.length === 0 && deploymentsOk, deploymentsOk, short, pods: podList };
}

/** Whether the Node's Ready condition is True, and its taints as `key:effect`. */
export async function nodeState(t: Transport, name: string): Promise<{ ready: boolean; taints: string[] }> {
  const node = await get(t, `/api/v1/nodes/${name}`);
  const conditions = (((node.status ?? {}) as Obj).conditions ?? []) as Obj[];
  const taints = ((sp(node).taints ?? []) as Obj[]).map((x) => `${String(x.key)}:${String(x.effect)}`);
  return { ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'), taints };
}
