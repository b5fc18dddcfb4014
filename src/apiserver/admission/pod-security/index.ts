/**
 * The PodSecurity admission plugin (kube-apiserver's built-in Pod Security Admission), validating only. Per
 * namespace labels `pod-security.kubernetes.io/{enforce,audit,warn}[-version]` (defaults from the options):
 * - pods (CREATE, and UPDATE when images, container counts or seccomp annotations change; the status, binding,
 *   eviction, log, exec, attach, portforward and proxy subresources are ignored): an enforce violation is a 403
 *   `pods "x" is forbidden: violates PodSecurity "restricted:latest": …`; audit violations become the audit annotation
 *   `pod-security.kubernetes.io/audit-violations`; warn violations a `would violate PodSecurity …` warning;
 * - workload pod templates (deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs,
 *   replicationcontrollers, podtemplates): audit and warn only — upstream never enforces on controllers;
 * - namespaces: labels must parse (422), and tightening enforce warns about existing violating pods.
 * Exempt usernames, namespaces and runtime classes skip evaluation. Never mutates the request's objects.
 */
import { aggregateMessage } from '../../../api/field-errors';
import { goQuote } from '../../../api/selectors/go-format';
import { StatusError } from '../../../api/status';
import type { AdmissionAttributes, AdmissionContext, ValidatingPlugin } from '../types';
import { defaultPolicy, levelVersionString, policyToEvaluate, sameLevelVersion, type LevelVersion, type Policy } from './api';
import { obj, stringMap, type Obj } from './check';
import { evaluatePod, forbiddenDetail, type AggregateResult } from './evaluator';
import { validateNamespace, type NamespaceCheckConfig } from './namespace';
import { extractPodSpec, hasPodSpec, isSignificantPodUpdate } from './pod-spec';

export interface PodSecurityOptions {
  /** Levels (`privileged`, `baseline`, `restricted`) and versions (`latest`, `v1.x`); default privileged/latest. */
  defaults?: { enforce?: string; enforceVersion?: string; audit?: string; auditVersion?: string; warn?: string; warnVersion?: string };
  exemptions?: { usernames?: string[]; namespaces?: string[]; runtimeClasses?: string[] };
  /** Namespace label updates check at most this many existing pods (upstream: 3000) … */
  namespaceMaxPodsToCheck?: number;
  /** … for at most this long (upstream: 1 s). */
  namespacePodCheckTimeoutMs?: number;
}

const PREFIX = 'pod-security.kubernetes.io/';
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

export function createPodSecurityPlugin(opts: PodSecurityOptions = {}): ValidatingPlugin {
  const defaults: Policy = defaultPolicy(opts.defaults);
  const usernames = new Set(opts.exemptions?.usernames ?? []);
  const namespaces = new Set(opts.exemptions?.namespaces ?? []);
  const runtimeClasses = new Set(opts.exemptions?.runtimeClasses ?? []);
  const exemptRuntimeClass = (rc: unknown): boolean => typeof rc === 'string' && rc !== '' && runtimeClasses.has(rc);

  /** The exemption reason for a request, if any. */
  function exemption(attrs: AdmissionAttributes): string | undefined {
    if (attrs.namespace && namespaces.has(attrs.namespace)) return 'namespace';
    if (attrs.user.name && usernames.has(attrs.user.name)) return 'user';
    return undefined;
  }

  function evaluate(attrs: AdmissionAttributes, policy: Policy, errs: string | undefined, meta: Obj, spec: Obj, enforce: boolean): void {
    const annotations = attrs.auditAnnotations;
    if (exemptRuntimeClass(spec.runtimeClassName)) {
      annotations[`${PREFIX}exempt`] = 'runtimeClass';
      return;
    }
    if (errs) annotations[`${PREFIX}error`] = `Failed to parse policy: ${errs}`;
    const cache: { lv: LevelVersion; result: AggregateResult }[] = [];
    const run = (lv: LevelVersion, remember: boolean): AggregateResult => {
      const hit = cache.find((c) => sameLevelVersion(c.lv, lv));
      if (hit) return hit.result;
      const result = evaluatePod(lv, meta, spec);
      if (remember) cache.push({ lv, result });
      return result;
    };
    let denied: StatusError | undefined;
    if (enforce) {
      annotations[`${PREFIX}enforce-policy`] = levelVersionString(policy.enforce);
      const r = run(policy.enforce, true);
      if (!r.allowed) {
        const name = attrs.name || (attrs.object?.metadata.name ?? '');
        const message = `violates PodSecurity ${goQuote(levelVersionString(policy.enforce))}: ${forbiddenDetail(r)}`;
        denied = StatusError.forbidden({ group: attrs.resource.group, resource: attrs.resource.resource }, name, message);
      }
    }
    const audit = run(policy.audit, true);
    if (!audit.allowed) {
      annotations[`${PREFIX}audit-violations`] = `would violate PodSecurity ${goQuote(levelVersionString(policy.audit))}: ${forbiddenDetail(audit)}`;
    }
    if (!denied) {
      const warn = run(policy.warn, false);
      if (!warn.allowed) attrs.warnings.push(`would violate PodSecurity ${goQuote(levelVersionString(policy.warn))}: ${forbiddenDetail(warn)}`);
    }
    if (denied) throw denied;
  }

  function validatePod(attrs: AdmissionAttributes, ctx: AdmissionContext): void {
    if (IGNORED_POD_SUBRESOURCES.has(attrs.subresource) || !attrs.object) return;
    const exempt = exemption(attrs);
    if (exempt) {
      attrs.auditAnnotations[`${PREFIX}exempt`] = exempt;
      return;
    }
    const ns = ctx.reader.get('', 'namespaces', '', attrs.namespace);
    if (!ns) {
      const err = StatusError.internal(new Error(`failed to lookup namespace ${attrs.namespace}`));
      attrs.auditAnnotations[`${PREFIX}error`] = err.message;
      throw err;
    }
    const { policy, errs } = policyToEvaluate(stringMap(ns.metadata.labels), defaults);
    if (!errs.length && policy.enforce.level === 'privileged' && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') {
      attrs.auditAnnotations[`${PREFIX}enforce-policy`] = 'privileged:latest';
      return;
    }
    const pod = attrs.object as Obj;
    if (attrs.operation === 'UPDATE' && attrs.oldObject && !isSignificantPodUpdate(pod, attrs.oldObject as Obj)) return;
    evaluate(attrs, policy, errs.length ? aggregateMessage(errs) : undefined, obj(pod.metadata), obj(pod.spec), true);
  }

  function validatePodController(attrs: AdmissionAttributes, ctx: AdmissionContext): void {
    if (attrs.subresource !== '' || !attrs.object) return;
    const exempt = exemption(attrs);
    if (exempt) {
      attrs.auditAnnotations[`${PREFIX}exempt`] = exempt;
      return;
    }
    const ns = ctx.reader.get('', 'namespaces', '', attrs.namespace);
    if (!ns) {
      attrs.auditAnnotations[`${PREFIX}error`] = `failed to lookup namespace ${attrs.namespace}: namespaces ${goQuote(attrs.namespace)} not found`;
      return;
    }
    const { policy, errs } = policyToEvaluate(stringMap(ns.metadata.labels), defaults);
    if (!errs.length && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
    const source = extractPodSpec(attrs.resource.group, attrs.resource.resource, attrs.object as Obj);
    if (!source) return;
    evaluate(attrs, policy, errs.length ? aggregateMessage(errs) : undefined, source.meta, source.spec, false);
  }

  return {
    name: 'PodSecurity',
    handles(attrs) {
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return false;
      const { group, resource } = attrs.resource;
      return (group === '' && (resource === 'pods' || resource === 'namespaces')) || hasPodSpec(group, resource);
    },
    validate(attrs, ctx) {
      const { group, resource } = attrs.resource;
      if (group === '' && resource === 'namespaces') {
        const cfg: NamespaceCheckConfig = {
          defaults,
          exemptNamespace: (n) => namespaces.has(n),
          exemptRuntimeClass,
          maxPods: opts.namespaceMaxPodsToCheck ?? 3000,
          timeoutMs: opts.namespacePodCheckTimeoutMs ?? 1000,
          now: () => ctx.now().getTime(),
        };
        attrs.warnings.push(...validateNamespace(attrs, ctx.reader, cfg));
      } else if (group === '' && resource === 'pods') {
        validatePod(attrs, ctx);
      } else if (hasPodSpec(group, resource)) {
        validatePodController(attrs, ctx);
      }
    },
  };
}

export { evaluatePod, forbiddenDetail, forbiddenReason, MAX_POLICY_VERSION } from './evaluator';
export { levelVersionString, parseLevel, parseVersion, policyToEvaluate } from './api';
export type { LevelVersion, Policy, Level, Version } from './api';
