/**
 * ValidatePodSpec: volumes, containers, restart/DNS policy, security context, scheduling fields and the other
 * PodSpec fields, in upstream's order. `resourceIsPod` is false for templates embedded in workloads.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { arr, bool, child, index, obj, objs, optNum, optObj, str, strs, type Obj } from './access';
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from './affinity';
import { validateContainers, validateInitContainers, validateSeccompProfile, validateContainerCommon, type ContainerContext } from './container';
import { each, inclusiveRangeError, isDNS1123Label, isQualifiedName, isValidUserOrGroupID, nameIsDNSSubdomain, validateIP } from './formats';
import { goStringSlice } from './go-repr';
import { validateLabels } from './meta';
import { validateResourceRequirements } from './resources';
import { validateVolumes } from './volumes';

export interface PodSpecOptions {
  resourceIsPod: boolean;
  /** The pod's name (checks generic ephemeral volume PVC names); empty for templates. */
  podName?: string;
}

const MAX_INT32 = 2147483647;
const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

function policy(value: string, valid: string[], path: string): FieldError[] {
  if (!value) return [fieldErr.required(path)];
  return valid.includes(value) ? [] : [fieldErr.notSupported(path, value, valid)];
}

function podSecurityContext(spec: Obj, path: string): FieldError[] {
  const sc = optObj(spec.securityContext);
  const errs: FieldError[] = [];
  if (!sc) return errs;
  for (const f of ['fsGroup', 'runAsUser', 'runAsGroup']) {
    const v = optNum(sc[f]);
    if (v !== undefined) errs.push(...each(child(path, f), v, isValidUserOrGroupID(v)));
  }
  arr(sc.supplementalGroups).forEach((g, i) => {
    const v = optNum(g) ?? 0;
    errs.push(...each(index(child(path, 'supplementalGroups'), i), v, isValidUserOrGroupID(v)));
  });
  if (spec.shareProcessNamespace === true && bool(spec.hostPID))
    errs.push(fieldErr.invalid(child(path, 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  const names = new Set<string>();
  objs(sc.sysctls).forEach((s, i) => {
    const p = child(index(child(path, 'sysctls'), i), 'name');
    const name = str(s.name);
    if (!name) errs.push(fieldErr.required(p));
    else if (name.length > 253 || !SYSCTL.test(name)) errs.push(fieldErr.invalid(p, name, `must have at most 253 characters and match regex ${SYSCTL.source}`));
    else if (names.has(name)) errs.push(fieldErr.duplicate(p, name));
    names.add(name);
  });
  if (typeof sc.fsGroupChangePolicy === 'string' && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy))
    errs.push(fieldErr.notSupported(child(path, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (typeof sc.supplementalGroupsPolicy === 'string' && !['Merge', 'Strict'].includes(sc.supplementalGroupsPolicy))
    errs.push(fieldErr.notSupported(child(path, 'supplementalGroupsPolicy'), sc.supplementalGroupsPolicy, ['Merge', 'Strict']));
  return errs;
}

function dnsConfig(spec: Obj, path: string): FieldError[] {
  const cfg = optObj(spec.dnsConfig);
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [fieldErr.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!strs(cfg.nameservers).length) return [fieldErr.required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const ns = strs(cfg.nameservers);
  if (ns.length > 3) errs.push(fieldErr.invalid(child(path, 'nameservers'), goStringSlice(ns), 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...validateIP(index(child(path, 'nameservers'), i), n)));
  const searches = strs(cfg.searches);
  if (searches.length > 32) errs.push(fieldErr.invalid(child(path, 'searches'), goStringSlice(searches), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048)
    errs.push(fieldErr.invalid(child(path, 'searches'), goStringSlice(searches), 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => {
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    errs.push(...each(index(child(path, 'searches'), i), trimmed, nameIsDNSSubdomain(trimmed, false)));
  });
  objs(cfg.options).forEach((o, i) => {
    if (!str(o.name)) errs.push(fieldErr.required(index(child(path, 'options'), i), 'must not be empty'));
  });
  return errs;
}

function hostNetworkPorts(spec: Obj, path: string, resourceIsPod: boolean): FieldError[] {
  if (!bool(spec.hostNetwork)) return [];
  const errs: FieldError[] = [];
  objs(spec.containers).forEach((c, i) => {
    objs(c.ports).forEach((port, j) => {
      const hp = optNum(port.hostPort) ?? 0;
      const cp = optNum(port.containerPort) ?? 0;
      if ((resourceIsPod || hp !== 0) && hp !== cp)
        errs.push(fieldErr.invalid(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
    });
  });
  return errs;
}

function resourceClaims(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(spec.resourceClaims).forEach((c, i) => {
    const p = index(path, i);
    const name = str(c.name);
    if (!name) errs.push(fieldErr.required(child(p, 'name')));
    else if (names.has(name)) errs.push(fieldErr.duplicate(child(p, 'name'), name));
    else {
      errs.push(...each(child(p, 'name'), name, isDNS1123Label(name)));
      names.add(name);
    }
    const byName = typeof c.resourceClaimName === 'string';
    const byTemplate = typeof c.resourceClaimTemplateName === 'string';
    if (byName && byTemplate) errs.push(fieldErr.invalid(p, c, 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'));
    if (!byName && !byTemplate) errs.push(fieldErr.invalid(p, c, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
  });
  return errs;
}

export function validatePodSpec(specIn: unknown, path: string, opts: PodSpecOptions): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null)
    errs.push(fieldErr.required(child(path, 'terminationGracePeriodSeconds')));
  const vols = validateVolumes(spec.volumes, child(path, 'volumes'), opts.podName ?? '');
  errs.push(...vols.errs, ...resourceClaims(spec, child(path, 'resourceClaims')));
  const ctx: ContainerContext = {
    volumes: vols.volumes,
    claimNames: new Set(objs(spec.resourceClaims).map((c) => str(c.name)).filter(Boolean)),
    gracePeriod: optNum(spec.terminationGracePeriodSeconds),
    hostUsers: spec.hostUsers !== false,
  };
  errs.push(...validateContainers(spec.containers, ctx, child(path, 'containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, ctx, child(path, 'initContainers')));
  const taken = new Set([...objs(spec.containers), ...objs(spec.initContainers)].map((c) => str(c.name)));
  objs(spec.ephemeralContainers).forEach((c, i) => {
    const p = index(child(path, 'ephemeralContainers'), i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (taken.has(str(c.name))) errs.push(fieldErr.duplicate(child(p, 'name'), str(c.name)));
    else taken.add(str(c.name));
  });
  errs.push(...hostNetworkPorts(spec, path, opts.resourceIsPod));
  errs.push(...policy(str(spec.restartPolicy), ['Always', 'OnFailure', 'Never'], child(path, 'restartPolicy')));
  errs.push(...policy(str(spec.dnsPolicy), ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], child(path, 'dnsPolicy')));
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...podSecurityContext(spec, child(path, 'securityContext')));
  objs(spec.imagePullSecrets).forEach((s, i) => {
    if (Object.keys(s).some((k) => k !== 'name' && s[k] !== undefined)) errs.push(fieldErr.invalid(index(child(path, 'imagePullSecrets'), i), s, 'only name may be set'));
  });
  errs.push(...validateAffinity(spec.affinity, child(path, 'affinity')));
  errs.push(...dnsConfig(spec, child(path, 'dnsConfig')));
  objs(spec.readinessGates).forEach((g, i) => {
    const t = str(g.conditionType);
    errs.push(...each(child(index(child(path, 'readinessGates'), i), 'conditionType'), t, isQualifiedName(t)));
  });
  const gates = new Set<string>();
  objs(spec.schedulingGates).forEach((g, i) => {
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...each(p, str(g.name), isQualifiedName(str(g.name))));
    if (gates.has(str(g.name))) errs.push(fieldErr.duplicate(p, str(g.name)));
    gates.add(str(g.name));
  });
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, child(path, 'topologySpreadConstraints')));
  if (spec.hostUsers === false)
    for (const [f, p] of [['hostNetwork', 'hostNetwork'], ['hostPID', 'HostPID'], ['hostIPC', 'HostIPC']])
      if (bool(spec[f])) errs.push(fieldErr.forbidden(child(path, p), 'when `pod.Spec.HostUsers` is false'));
  for (const f of ['serviceAccountName', 'nodeName']) {
    const v = str(spec[f]);
    if (v) errs.push(...each(child(path, f), v, nameIsDNSSubdomain(v, false)));
  }
  const ads = optNum(spec.activeDeadlineSeconds);
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32)) errs.push(fieldErr.invalid(child(path, 'activeDeadlineSeconds'), ads, inclusiveRangeError(1, MAX_INT32)));
  for (const f of ['hostname', 'subdomain']) {
    const v = str(spec[f]);
    if (v) errs.push(...each(child(path, f), v, isDNS1123Label(v)));
  }
  errs.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  objs(spec.hostAliases).forEach((h, i) => {
    const p = index(child(path, 'hostAliases'), i);
    errs.push(...validateIP(child(p, 'ip'), str(h.ip)));
    strs(h.hostnames).forEach((n, j) => errs.push(...each(index(child(p, 'hostnames'), j), n, nameIsDNSSubdomain(n, false))));
  });
  for (const f of ['priorityClassName', 'runtimeClassName']) {
    const v = spec[f];
    if (typeof v === 'string' && (v || f === 'runtimeClassName')) errs.push(...each(child(path, f), v, nameIsDNSSubdomain(v, false)));
  }
  if (typeof spec.preemptionPolicy === 'string') errs.push(...policy(spec.preemptionPolicy, ['PreemptLowerPriority', 'Never'], child(path, 'preemptionPolicy')));
  if (optObj(spec.overhead)) errs.push(...validateResourceRequirements({ limits: spec.overhead }, child(path, 'overhead')));
  const os = optObj(spec.os);
  if (os) {
    const name = str(os.name);
    if (!name) errs.push(fieldErr.required(child(path, 'os', 'name'), 'cannot be empty'));
    else if (name !== 'linux' && name !== 'windows') errs.push(fieldErr.notSupported(child(path, 'os', 'name'), name, ['linux', 'windows']));
    else if (name === 'linux') {
      if (optObj(optObj(spec.securityContext)?.windowsOptions))
        errs.push(fieldErr.forbidden(child(path, 'securityContext', 'windowsOptions'), 'windows options cannot be set for a linux pod'));
      for (const [k, list] of [['containers', spec.containers], ['initContainers', spec.initContainers]] as const)
        objs(list).forEach((c, i) => {
          if (optObj(optObj(c.securityContext)?.windowsOptions))
            errs.push(fieldErr.forbidden(child(index(child(path, k), i), 'securityContext', 'windowsOptions'), 'windows options cannot be set for a linux pod'));
        });
    }
  }
  return errs;
}
