/**
 * Daemon pods (upstream daemon/util): the template a set's pods are made from (daemon tolerations,
 * `pod-template-generation` and `controller-revision-hash` labels), the node affinity that pins a pod to its node
 * (`matchFields metadata.name In [node]`, replacing any required node affinity: the scheduler binds it there), the
 * node a pod is meant for (spec.nodeName, else that affinity), whether a pod is of the current revision, and the
 * order pods on one node are kept in (scheduled first, then oldest, then by name). Pure functions.
 */
import type { Affinity, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { deepCopy } from '../../api/object';
import { OBJECT_NAME_FIELD } from './node-affinity';
import { addDaemonPodTolerations } from './tolerations';
import { DS_HASH_LABEL, DS_TEMPLATE_GENERATION_ANNOTATION, DS_TEMPLATE_GENERATION_LABEL, type DaemonSet, type Node, type Pod } from './types';

/** GetTemplateGeneration: the deprecated annotation as an integer; undefined when absent or unparsable. */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata?.annotations?.[DS_TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** CreatePodTemplate. */
export function createPodTemplate(template: PodTemplateSpec | undefined, generation: number | undefined, hash: string): PodTemplateSpec {
  const t = deepCopy(template ?? {});
  const spec = (t.spec ??= { containers: [] });
  addDaemonPodTolerations(spec);
  const meta = (t.metadata ??= {});
  const labels = (meta.labels ??= {});
  if (generation !== undefined) labels[DS_TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[DS_HASH_LABEL] = hash;
  return t;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: returns the affinity to put on a pod for `nodeName` (input untouched). */
export function replaceNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term = { matchFields: [{ key: OBJECT_NAME_FIELD, operator: 'In', values: [nodeName] }] };
  const a = deepCopy(affinity ?? {});
  const na = (a.nodeAffinity ??= {});
  if (!na.requiredDuringSchedulingIgnoredDuringExecution) na.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  else na.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms = [term];
  return a;
}

/** GetTargetNodeName: spec.nodeName, else the single `metadata.name In` value of the required node affinity. */
export function targetNodeName(pod: Pod): string | undefined {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  if (spec.nodeName) return spec.nodeName;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const e of term.matchFields ?? []) {
      if (e.key === OBJECT_NAME_FIELD && e.operator === 'In') return (e.values ?? []).length === 1 ? e.values![0] : undefined;
    }
  }
  return undefined;
}

/** IsPodUpdated: the pod carries the current hash, or the set's template generation. */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const templateMatches = generation !== undefined && labels[DS_TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash.length > 0 && labels[DS_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

function created(p: Pod): number {
  const t = Date.parse(p.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/** podByCreationTimestampAndPhase: scheduled pods first, then by creation time (second precision), then name. */
export function compareByCreationAndPhase(a: Pod, b: Pod): number {
  const sa = !!a.spec?.nodeName;
  const sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  const d = created(a) - created(b);
  if (d !== 0) return d;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** getUnscheduledPodsWithoutNode: names of unscheduled pods meant for nodes that do not exist. */
export function unscheduledPodsWithoutNode(nodes: readonly Node[], byNode: ReadonlyMap<string, readonly Pod[]>): string[] {
  const exists = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  const out: string[] = [];
  for (const [nodeName, pods] of byNode) {
    if (exists.has(nodeName)) continue;
    for (const p of pods) if (!p.spec?.nodeName) out.push(p.metadata?.name ?? '');
  }
  return out;
}
