/**
 * Plugin args of NodeResourcesFit and NodeResourcesBalancedAllocation (upstream kube-scheduler config v1, 1.32):
 * their shapes, decoding from a pluginConfig `args` object, defaulting (SetDefaults_NodeResourcesFitArgs /
 * SetDefaults_NodeResourcesBalancedAllocationArgs: LeastAllocated over cpu and memory, weight 0 or unset → 1) and
 * validation (ValidateNodeResourcesFitArgs / ValidateNodeResourcesBalancedAllocationArgs) with upstream's field
 * paths and wording. `path` prefixes every field path ('' → `scoringStrategy.resources[0].weight`; the config loader
 * may pass `profiles[0].pluginConfig[1].args`). `decode*` throws an Error with the aggregated message when invalid.
 */
import { aggregateMessage, fieldErr, type FieldError } from '../../../api/field-errors';
import { validateLabelName } from '../../../api/selectors';

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';
export const SCORING_STRATEGY_TYPES: readonly string[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

/** Upstream MaxCustomPriorityScore: shape scores are in [0, 10] and scaled by MaxNodeScore / 10. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

export interface ResourceSpec {
  name: string;
  weight: number;
}

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export interface ScoringStrategy {
  type: string;
  resources: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  /** Undefined only before defaulting (NewFit then fails with "scoring strategy not specified"). */
  scoringStrategy?: ScoringStrategy;
}

export interface NodeResourcesBalancedAllocationArgs {
  resources: ResourceSpec[];
}

export function defaultResourceSpec(): ResourceSpec[] {
  return [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ];
}

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((s) => String(s)) : [];
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
}

function resourceSpecs(v: unknown): ResourceSpec[] {
  return Array.isArray(v) ? v.map((r) => ({ name: String(obj(r)?.name ?? ''), weight: num(obj(r)?.weight) })) : [];
}

/** The raw pluginConfig args as NodeResourcesFitArgs, without defaults. */
export function parseNodeResourcesFitArgs(raw: Raw | undefined): NodeResourcesFitArgs {
  const a = raw ?? {};
  const out: NodeResourcesFitArgs = { ignoredResources: strings(a.ignoredResources), ignoredResourceGroups: strings(a.ignoredResourceGroups) };
  const s = obj(a.scoringStrategy);
  if (s) {
    out.scoringStrategy = { type: String(s.type ?? ''), resources: resourceSpecs(s.resources) };
    const r = obj(s.requestedToCapacityRatio);
    if (r) {
      const shape = Array.isArray(r.shape) ? r.shape.map((p) => ({ utilization: num(obj(p)?.utilization), score: num(obj(p)?.score) })) : [];
      out.scoringStrategy.requestedToCapacityRatio = { shape };
    }
  }
  return out;
}

/** SetDefaults_NodeResourcesFitArgs (in place; returns `args`). */
export function defaultNodeResourcesFitArgs(args: NodeResourcesFitArgs): NodeResourcesFitArgs {
  if (!args.scoringStrategy) args.scoringStrategy = { type: 'LeastAllocated', resources: defaultResourceSpec() };
  if (args.scoringStrategy.resources.length === 0) args.scoringStrategy.resources = defaultResourceSpec();
  for (const r of args.scoringStrategy.resources) if (r.weight === 0) r.weight = 1;
  return args;
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function validateFunctionShape(shape: readonly UtilizationShapePoint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (shape.length === 0) return [fieldErr.required(path, 'at least one point must be specified')];
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1].utilization >= shape[i].utilization) {
      errs.push(fieldErr.invalid(`${path}[${i}].utilization`, shape[i].utilization, 'utilization values must be sorted in increasing order'));
      break;
    }
  }
  shape.forEach((p, i) => {
    if (!(p.utilization >= 0 && p.utilization <= 100)) errs.push(fieldErr.invalid(`${path}[${i}].utilization`, p.utilization, 'not in valid range [0, 100]'));
    if (!(p.score >= 0 && p.score <= MAX_CUSTOM_PRIORITY_SCORE)) errs.push(fieldErr.invalid(`${path}[${i}].score`, p.score, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`));
  });
  return errs;
}

function validateResources(resources: readonly ResourceSpec[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  resources.forEach((r, i) => {
    if (!(r.weight > 0 && r.weight <= 100)) errs.push(fieldErr.invalid(`${path}[${i}].weight`, r.weight, `resource weight of ${r.name} not in valid range (0, 100]`));
  });
  return errs;
}

/** ValidateNodeResourcesFitArgs (1.32). */
export function validateNodeResourcesFitArgs(args: NodeResourcesFitArgs, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  args.ignoredResources.forEach((res, i) => errs.push(...validateLabelName(res, `${child(path, 'ignoredResources')}[${i}]`)));
  args.ignoredResourceGroups.forEach((group, i) => {
    const p = `${child(path, 'ignoredResourceGroups')}[${i}]`;
    if (group.includes('/')) errs.push(fieldErr.invalid(p, group, "resource group name can't contain '/'"));
    errs.push(...validateLabelName(group, p));
  });
  const s = args.scoringStrategy;
  if (s) {
    const sp = child(path, 'scoringStrategy');
    if (!SCORING_STRATEGY_TYPES.includes(s.type)) errs.push(fieldErr.notSupported(`${sp}.type`, s.type, [...SCORING_STRATEGY_TYPES]));
    errs.push(...validateResources(s.resources, `${sp}.resources`));
    if (s.requestedToCapacityRatio) errs.push(...validateFunctionShape(s.requestedToCapacityRatio.shape, `${sp}.shape`));
  }
  return errs;
}

/** The raw args as NodeResourcesBalancedAllocationArgs, without defaults. */
export function parseBalancedAllocationArgs(raw: Raw | undefined): NodeResourcesBalancedAllocationArgs {
  return { resources: resourceSpecs(raw?.resources) };
}

/** SetDefaults_NodeResourcesBalancedAllocationArgs (in place; returns `args`). */
export function defaultBalancedAllocationArgs(args: NodeResourcesBalancedAllocationArgs): NodeResourcesBalancedAllocationArgs {
  if (args.resources.length === 0) {
    args.resources = defaultResourceSpec();
    return args;
  }
  for (const r of args.resources) if (r.weight === 0) r.weight = 1;
  return args;
}

/** ValidateNodeResourcesBalancedAllocationArgs: names unique, every weight exactly 1. */
export function validateBalancedAllocationArgs(args: NodeResourcesBalancedAllocationArgs, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  args.resources.forEach((r, i) => {
    const p = `${child(path, 'resources')}[${i}]`;
    if (seen.has(r.name)) errs.push(fieldErr.duplicate(`${p}.name`, r.name));
    else seen.add(r.name);
    if (r.weight !== 1) errs.push(fieldErr.invalid(`${p}.weight`, r.weight, 'must be 1'));
  });
  return errs;
}

/** Throws the aggregated field errors as one Error (what a plugin factory does with invalid args). */
export function throwIfInvalid(errs: FieldError[]): void {
  if (errs.length > 0) throw new Error(aggregateMessage(errs));
}
