/**
 * getExpectedScale (upstream disruption.go): the sum of the replicas of the controllers of a PDB's pods, each
 * controller counted once. A pod's controller is found through its controllerRef by the upstream finders, in
 * order: ReplicationController, Deployment (through the pod's ReplicaSet), ReplicaSet not owned by a Deployment,
 * StatefulSet — each only when the lister's object still has the referenced uid. Pods without a controllerRef are
 * "unmanaged" (reported, not counted); a pod whose controller cannot be found fails the computation with upstream's
 * `found no controllers for pod "<name>"` (KubeLab has no generic /scale finder for other kinds).
 */
import type { CachedObject, Lister } from '../../client/informers';
import { controllerRefOf, type OwnerReference } from '../framework/controller-ref';

export interface ControllerListers {
  replicationControllers: Lister;
  replicaSets: Lister;
  deployments: Lister;
  statefulSets: Lister;
}

type Found = { uid: string; scale: number } | undefined;
type Finder = (l: ControllerListers, ref: OwnerReference, namespace: string) => Found;

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function verifyGroupKind(ref: OwnerReference, kind: string, groups: readonly string[]): boolean {
  return ref.kind === kind && groups.includes(groupOf(ref.apiVersion));
}

function replicas(o: CachedObject): number {
  const r = (o.spec as { replicas?: number } | undefined)?.replicas;
  return typeof r === 'number' ? r : 1;
}

function getByRef(lister: Lister, ref: OwnerReference, namespace: string): CachedObject | undefined {
  const o = lister.get(namespace, ref.name);
  return o && o.metadata?.uid === ref.uid ? o : undefined;
}

const APPS = ['apps', 'extensions'];

const findReplicationController: Finder = (l, ref, ns) => {
  if (!verifyGroupKind(ref, 'ReplicationController', [''])) return undefined;
  const rc = getByRef(l.replicationControllers, ref, ns);
  return rc && { uid: ref.uid, scale: replicas(rc) };
};

const findDeployment: Finder = (l, ref, ns) => {
  if (!verifyGroupKind(ref, 'ReplicaSet', APPS)) return undefined;
  const rs = getByRef(l.replicaSets, ref, ns);
  const dref = rs && controllerRefOf(rs);
  if (!dref || !verifyGroupKind(dref, 'Deployment', APPS)) return undefined;
  const d = getByRef(l.deployments, dref, ns);
  return d && { uid: dref.uid, scale: replicas(d) };
};

const findReplicaSet: Finder = (l, ref, ns) => {
  if (!verifyGroupKind(ref, 'ReplicaSet', APPS)) return undefined;
  const rs = getByRef(l.replicaSets, ref, ns);
  if (!rs || controllerRefOf(rs)?.kind === 'Deployment') return undefined;
  return { uid: ref.uid, scale: replicas(rs) };
};

const findStatefulSet: Finder = (l, ref, ns) => {
  if (!verifyGroupKind(ref, 'StatefulSet', ['apps'])) return undefined;
  const ss = getByRef(l.statefulSets, ref, ns);
  return ss && { uid: ref.uid, scale: replicas(ss) };
};

const FINDERS: readonly Finder[] = [findReplicationController, findDeployment, findReplicaSet, findStatefulSet];

export function expectedScale(l: ControllerListers, pods: readonly CachedObject[]): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanaged.push(String(pod.metadata?.name ?? ''));
      continue;
    }
    if (scales.has(ref.uid)) continue;
    let found: Found;
    for (const f of FINDERS) if ((found = f(l, ref, String(pod.metadata?.namespace ?? '')))) break;
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(String(pod.metadata?.name ?? ''))}`);
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const s of scales.values()) expected += s;
  return { expected, unmanaged };
}

interface SelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

/** A *metav1.LabelSelector as Go's `%v` prints it (the generated String()). */
export function labelSelectorString(sel: unknown): string {
  if (sel === undefined || sel === null) return 'nil';
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: SelectorRequirement[] };
  const labels = Object.keys(s.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${s.matchLabels![k]},`)
    .join('');
  const exprs = (s.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key ?? ''},Operator:${e.operator ?? ''},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
