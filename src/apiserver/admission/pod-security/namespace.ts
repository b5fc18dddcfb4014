/**
 * PodSecurity on namespaces (admission.go ValidateNamespace / EvaluatePodsInNamespace): pod-security labels must
 * parse on create, and on an update that changes them (422 Invalid otherwise). When an update tightens the enforce
 * policy, the namespace's existing pods are dry-run against it and every violation becomes a warning: a header line
 * `existing pods in namespace "x" violate the new PodSecurity enforce level "restricted:latest"`, then one line per
 * distinct reason list, prefixed with the lexically first pod name (`web (and 2 other pods): …`), sorted. Pods of a
 * controller already seen are checked last; at most maxPods pods within timeoutMs are checked.
 */
import { StatusError } from '../../../api/status';
import { compareGoStrings, goQuote } from '../../../api/selectors/go-format';
import type { StoredObject } from '../../../api/object';
import type { ClusterReader } from '../../reader';
import type { AdmissionAttributes } from '../types';
import { compareLevels, levelVersionString, policyToEvaluate, sameLevelVersion, type LevelVersion, type Policy } from './api';
import { obj, objs, str, stringMap } from './check';
import { evaluatePod, forbiddenReason } from './evaluator';

export interface NamespaceCheckConfig {
  defaults: Policy;
  exemptNamespace(ns: string): boolean;
  exemptRuntimeClass(rc: unknown): boolean;
  maxPods: number;
  timeoutMs: number;
  now(): number;
}

/** Throws 422 for bad labels; returns the warnings to send (possibly none). */
export function validateNamespace(attrs: AdmissionAttributes, reader: ClusterReader, cfg: NamespaceCheckConfig): string[] {
  if (attrs.subresource !== '' || !attrs.object) return [];
  const ns = attrs.object;
  const name = ns.metadata.name ?? attrs.name;
  const next = policyToEvaluate(stringMap(ns.metadata.labels), cfg.defaults);
  if (attrs.operation === 'CREATE') {
    if (next.errs.length) throw StatusError.invalid('', 'Namespace', name, next.errs);
    return [];
  }
  if (attrs.operation !== 'UPDATE' || !attrs.oldObject) return [];
  const prev = policyToEvaluate(stringMap(attrs.oldObject.metadata.labels), cfg.defaults);
  if (next.errs.length && (!prev.errs.length || JSON.stringify(next.errs) !== JSON.stringify(prev.errs))) {
    throw StatusError.invalid('', 'Namespace', name, next.errs);
  }
  const enforce = next.policy.enforce;
  const old = prev.policy.enforce;
  if (sameLevelVersion(enforce, old) || enforce.level === 'privileged') return [];
  if (sameVersion(enforce, old) && compareLevels(enforce.level, old.level) < 1) return [];
  if (cfg.exemptNamespace(attrs.namespace || name)) {
    attrs.auditAnnotations['pod-security.kubernetes.io/exempt'] = 'namespace';
    return [];
  }
  return evaluatePodsInNamespace(reader, name, enforce, cfg);
}

function sameVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.version.latest === b.version.latest && (a.version.latest || a.version.minor === b.version.minor);
}

function controllerUid(pod: Readonly<StoredObject>): string | undefined {
  const ref = objs(pod.metadata.ownerReferences).find((r) => r.controller === true);
  return ref ? str(ref.uid) : undefined;
}

/** Non-exempt pods; the first pod of each controller before the other replicas of it. */
function prioritize(pods: readonly Readonly<StoredObject>[], cfg: NamespaceCheckConfig): Readonly<StoredObject>[] {
  const first: Readonly<StoredObject>[] = [];
  const duplicates: Readonly<StoredObject>[] = [];
  const seen = new Set<string>();
  for (const pod of pods) {
    if (cfg.exemptRuntimeClass(obj(pod.spec).runtimeClassName)) continue;
    const uid = controllerUid(pod);
    if (uid === undefined) first.push(pod);
    else if (seen.has(uid)) duplicates.push(pod);
    else {
      seen.add(uid);
      first.push(pod);
    }
  }
  return [...first, ...duplicates];
}

export function evaluatePodsInNamespace(reader: ClusterReader, namespace: string, enforce: LevelVersion, cfg: NamespaceCheckConfig): string[] {
  const deadline = cfg.now() + cfg.timeoutMs;
  const all = prioritize(reader.list('', 'pods', namespace), cfg);
  const pods = all.slice(0, cfg.maxPods);
  const order: string[] = [];
  const counts = new Map<string, { podName: string; count: number }>();
  let checked = pods.length;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
    const r = evaluatePod(enforce, obj(pod.metadata), obj(pod.spec));
    if (!r.allowed) {
      const warning = forbiddenReason(r);
      const podName = pod.metadata.name ?? '';
      const c = counts.get(warning);
      if (!c) {
        order.push(warning);
        counts.set(warning, { podName, count: 1 });
      } else {
        if (compareGoStrings(podName, c.podName) < 0) c.podName = podName;
        c.count++;
      }
    }
    if (cfg.now() > deadline) {
      checked = i + 1;
      break;
    }
  }
  const warnings: string[] = [];
  if (checked < all.length) warnings.push(`new PodSecurity enforce level only checked against the first ${checked} of ${all.length} existing pods`);
  if (order.length) warnings.push(`existing pods in namespace ${goQuote(namespace)} violate the new PodSecurity enforce level ${goQuote(levelVersionString(enforce))}`);
  const decorated = order.map((w) => {
    const c = counts.get(w)!;
    if (c.count === 1) return `${c.podName}: ${w}`;
    if (c.count === 2) return `${c.podName} (and 1 other pod): ${w}`;
    return `${c.podName} (and ${c.count - 1} other pods): ${w}`;
  });
  return [...warnings, ...decorated.sort(compareGoStrings)];
}
