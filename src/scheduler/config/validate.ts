/**
 * ValidateKubeSchedulerConfiguration (upstream apis/config/validation, 1.32) on the defaulted configuration, with
 * upstream's field paths and wording: parallelism, profiles (schedulerName required and unique, percentage,
 * removed plugins, duplicate pluginConfig, the args of DefaultPreemption, InterPodAffinity, PodTopologySpread,
 * NodeResourcesBalancedAllocation and VolumeBinding), the common queue sort, percentageOfNodesToScore and the
 * pod backoff bounds. Returns the FieldErrors (empty = valid).
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { API_VERSION, INVALID_PLUGINS } from './defaults';
import type { PluginConfig, SchedulerConfig, SchedulerProfile } from './types';
import { EXTENSION_POINTS } from './types';

type Args = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function percentage(path: string, v: number | undefined): FieldError[] {
  return v !== undefined && (v < 0 || v > 100) ? [fieldErr.invalid(path, v, 'not in valid range [0-100]')] : [];
}

const ARGS_VALIDATORS: Record<string, (p: string, a: Args) => FieldError[]> = {
  DefaultPreemption: (p, a) => {
    const errs: FieldError[] = [];
    const pct = num(a.minCandidateNodesPercentage);
    const abs = num(a.minCandidateNodesAbsolute);
    if (pct < 0 || pct > 100) errs.push(fieldErr.invalid(`${p}.minCandidateNodesPercentage`, pct, 'not in valid range [0, 100]'));
    if (abs < 0) errs.push(fieldErr.invalid(`${p}.minCandidateNodesAbsolute`, abs, 'not in valid range [0, inf)'));
    if (pct === 0 && abs === 0) {
      errs.push(fieldErr.invalid(`${p}.minCandidateNodesPercentage`, pct, 'cannot be zero at the same time as minCandidateNodesAbsolute'));
      errs.push(fieldErr.invalid(`${p}.minCandidateNodesAbsolute`, abs, 'cannot be zero at the same time as minCandidateNodesPercentage'));
    }
    return errs;
  },
  InterPodAffinity: (p, a) => {
    const w = num(a.hardPodAffinityWeight);
    return w < 0 || w > 100 ? [fieldErr.invalid(`${p}.hardPodAffinityWeight`, w, 'not in valid range [0, 100]')] : [];
  },
  PodTopologySpread: (p, a) => {
    const errs: FieldError[] = [];
    const t = a.defaultingType;
    const constraints = Array.isArray(a.defaultConstraints) ? (a.defaultConstraints as Args[]) : [];
    if (t !== 'System' && t !== 'List') errs.push(fieldErr.notSupported(`${p}.defaultingType`, t, ['System', 'List']));
    else if (t === 'System' && constraints.length > 0) errs.push(fieldErr.invalid(`${p}.defaultingType`, t, 'when .defaultConstraints are not empty'));
    constraints.forEach((c, i) => {
      const cp = `${p}.defaultConstraints[${i}]`;
      if (num(c.maxSkew) <= 0) errs.push(fieldErr.invalid(`${cp}.maxSkew`, num(c.maxSkew), 'not in valid range (0, inf)'));
      if (!c.topologyKey) errs.push(fieldErr.required(`${cp}.topologyKey`, 'can not be empty'));
      if (!c.whenUnsatisfiable) errs.push(fieldErr.required(`${cp}.whenUnsatisfiable`, 'can not be empty'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') errs.push(fieldErr.notSupported(`${cp}.whenUnsatisfiable`, c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']));
      if (c.labelSelector != null) errs.push(fieldErr.forbidden(`${cp}.labelSelector`, 'constraint must not define a selector, as they deduced for each pod'));
      if (constraints.slice(0, i).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
        errs.push(fieldErr.duplicate(`${p}.defaultConstraints[${i}]`, `{${String(c.topologyKey)}, ${String(c.whenUnsatisfiable)}}`));
      }
    });
    return errs;
  },
  NodeResourcesBalancedAllocation: (p, a) => {
    const errs: FieldError[] = [];
    const seen = new Set<string>();
    (Array.isArray(a.resources) ? (a.resources as Args[]) : []).forEach((r, i) => {
      const name = String(r.name ?? '');
      if (seen.has(name)) errs.push(fieldErr.duplicate(`${p}.resources[${i}].name`, name));
      seen.add(name);
      if (r.weight !== 1) errs.push(fieldErr.invalid(`${p}.resources[${i}].weight`, r.weight, 'must be 1'));
    });
    return errs;
  },
  VolumeBinding: (p, a) => {
    const errs: FieldError[] = [];
    if (num(a.bindTimeoutSeconds) < 0) errs.push(fieldErr.invalid(`${p}.bindTimeoutSeconds`, a.bindTimeoutSeconds, 'invalid BindTimeoutSeconds, should not be a negative value'));
    if (a.shape != null) errs.push(fieldErr.invalid(`${p}.shape`, a.shape, 'unexpected field `shape`, remove it or turn on the feature gate StorageCapacityScoring'));
    return errs;
  },
};

const invalidMsg = `was invalid in version "${API_VERSION}" (KubeSchedulerConfiguration is version "${API_VERSION}")`;

function validateProfile(path: string, prof: SchedulerProfile, userConfig: readonly PluginConfig[]): FieldError[] {
  const errs: FieldError[] = [];
  if (!prof.schedulerName) errs.push(fieldErr.required(`${path}.schedulerName`));
  errs.push(...percentage(`${path}.percentageOfNodesToScore`, prof.percentageOfNodesToScore));
  for (const e of EXTENSION_POINTS) {
    prof.plugins[e].enabled.forEach((p, i) => {
      if (INVALID_PLUGINS.includes(p.name)) errs.push(fieldErr.invalid(`${path}.plugins.${e}.enabled[${i}]`, p.name, invalidMsg));
    });
  }
  const seen = new Set<string>();
  prof.pluginConfig.forEach((c, i) => {
    const p = `${path}.pluginConfig[${i}]`;
    if (seen.has(c.name)) errs.push(fieldErr.duplicate(p, c.name));
    seen.add(c.name);
    if (INVALID_PLUGINS.includes(c.name)) errs.push(fieldErr.invalid(p, c.name, invalidMsg));
    else if (ARGS_VALIDATORS[c.name] && i < userConfig.length) errs.push(...ARGS_VALIDATORS[c.name](`${p}.args`, c.args ?? {}));
  });
  return errs;
}

export function validateSchedulerConfig(cfg: SchedulerConfig, userConfigs: readonly (readonly PluginConfig[])[]): FieldError[] {
  const errs: FieldError[] = [];
  if (cfg.parallelism <= 0) errs.push(fieldErr.invalid('parallelism', cfg.parallelism, 'should be an integer value greater than zero'));
  if (cfg.profiles.length === 0) errs.push(fieldErr.required('profiles'));
  const names = new Map<string, number>();
  cfg.profiles.forEach((prof, i) => {
    errs.push(...validateProfile(`profiles[${i}]`, prof, userConfigs[i] ?? []));
    const prev = names.get(prof.schedulerName);
    if (prev !== undefined) errs.push(fieldErr.duplicate(`profiles[${i}].schedulerName`, { goString: `profiles[${prev}].schedulerName` }));
    names.set(prof.schedulerName, i);
  });
  const canon = JSON.stringify(cfg.profiles[0]?.plugins.queueSort);
  cfg.profiles.slice(1).forEach((prof, j) => {
    if (JSON.stringify(prof.plugins.queueSort) !== canon) errs.push(fieldErr.invalid(`profiles[${j + 1}].plugins.queueSort`, prof.plugins.queueSort, 'must be the same for all profiles'));
  });
  errs.push(...percentage('percentageOfNodesToScore', cfg.percentageOfNodesToScore));
  if (cfg.podInitialBackoffSeconds <= 0) errs.push(fieldErr.invalid('podInitialBackoffSeconds', cfg.podInitialBackoffSeconds, 'must be greater than 0'));
  if (cfg.podMaxBackoffSeconds < cfg.podInitialBackoffSeconds) errs.push(fieldErr.invalid('podMaxBackoffSeconds', cfg.podMaxBackoffSeconds, 'must be greater than or equal to PodInitialBackoffSeconds'));
  return errs;
}
