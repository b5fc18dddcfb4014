/**
 * batch/v1 Job and CronJob (create, update, status): generated selector labels, JobSpec rules (indexed completion,
 * backoff limits, pod failure/replacement/success policies, restartPolicy OnFailure|Never), the update
 * immutabilities, and CronJob schedule, time zone, concurrency policy and job template.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, num, obj, objs, optNum, optObj, str, strMap, type Obj } from './access';
import { cronScheduleError, isKnownTimeZone } from './cron';
import { isDNS1123Label, nameIsDNSSubdomain } from './formats';
import { goLabelSelector, goStringMap, OMIT_VALUE } from './go-repr';
import { validateImmutable, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePodTemplateSpec } from './pod';
import { labelSelectorAsSelector, validateLabelSelector } from './selector';
import { SELECTOR_MISMATCH } from './workload-common';

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const goQuoteList = (l: string[]): string => `[${l.map((x) => JSON.stringify(x)).join(' ')}]`;

function hasLabel(meta: Obj, path: string, k: string, want: string): FieldError[] {
  const labels = strMap(meta.labels);
  const p = `${child(path, 'labels')}[${k}]`;
  if (!(k in labels)) return [fieldErr.required(p, `must be '${want}'`)];
  return labels[k] === want ? [] : [fieldErr.invalid(p, goStringMap(meta.labels), `must be '${want}'`)];
}

function generatedSelector(job: Obj, prefixed: boolean): FieldError[] {
  const spec = obj(job.spec);
  if (spec.manualSelector === true || !optObj(spec.selector)) return [];
  const meta = obj(job.metadata);
  const uid = str(meta.uid);
  const name = str(meta.name);
  const errs: FieldError[] = uid ? [] : [fieldErr.required('metadata.uid')];
  const tmeta = obj(obj(spec.template).metadata);
  const expected: Record<string, string> = {};
  errs.push(...hasLabel(tmeta, 'spec.template.metadata', 'controller-uid', uid), ...hasLabel(tmeta, 'spec.template.metadata', 'job-name', name));
  if (prefixed) {
    errs.push(...hasLabel(tmeta, 'spec.template.metadata', 'batch.kubernetes.io/controller-uid', uid), ...hasLabel(tmeta, 'spec.template.metadata', 'batch.kubernetes.io/job-name', name));
    expected['batch.kubernetes.io/controller-uid'] = uid;
    expected['batch.kubernetes.io/job-name'] = name;
  }
  expected['controller-uid'] = uid;
  expected['job-name'] = name;
  const sel = labelSelectorAsSelector(spec.selector);
  if (sel && !sel.matches(expected)) errs.push(fieldErr.invalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  return errs;
}

function podFailurePolicy(spec: Obj, path: string): FieldError[] {
  const rules = objs(obj(spec.podFailurePolicy).rules);
  const errs: FieldError[] = rules.length > 20 ? [fieldErr.tooMany(child(path, 'rules'), rules.length, 20)] : [];
  const tspec = obj(obj(spec.template).spec);
  const names = new Set([...objs(tspec.containers), ...objs(tspec.initContainers)].map((c) => str(c.name)));
  rules.forEach((rule, i) => {
    const p = index(child(path, 'rules'), i);
    const action = str(rule.action);
    if (!action) errs.push(fieldErr.required(child(p, 'action'), `valid values: ${goQuoteList(ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null)
        errs.push(fieldErr.invalid(child(p, 'action'), action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!ACTIONS.includes(action)) errs.push(fieldErr.notSupported(child(p, 'action'), action, ACTIONS));
    const onExit = optObj(rule.onExitCodes);
    if (onExit) {
      const ep = child(p, 'onExitCodes');
      const op = str(onExit.operator);
      if (!op) errs.push(fieldErr.required(child(ep, 'operator'), `valid values: ${goQuoteList(['In', 'NotIn'])}`));
      else if (op !== 'In' && op !== 'NotIn') errs.push(fieldErr.notSupported(child(ep, 'operator'), op, ['In', 'NotIn']));
      if (typeof onExit.containerName === 'string' && !names.has(onExit.containerName))
        errs.push(fieldErr.invalid(child(ep, 'containerName'), onExit.containerName, 'must be one of the container or initContainer names in the pod template'));
      const values = Array.isArray(onExit.values) ? onExit.values.map((v) => optNum(v) ?? 0) : [];
      if (!values.length) errs.push(fieldErr.invalid(child(ep, 'values'), values, 'at least one value is required'));
      else if (values.length > 255) errs.push(fieldErr.tooMany(child(ep, 'values'), values.length, 255));
      const seen = new Set<number>();
      values.forEach((v, j) => {
        if (op === 'In' && v === 0) errs.push(fieldErr.invalid(index(child(ep, 'values'), j), v, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push(fieldErr.duplicate(index(child(ep, 'values'), j), v));
        seen.add(v);
      });
      if (values.some((v, j) => j > 0 && values[j - 1] > v)) errs.push(fieldErr.invalid(child(ep, 'values'), values, 'must be ordered'));
    }
    const conds = objs(rule.onPodConditions);
    conds.forEach((c, j) => {
      const cp = index(child(p, 'onPodConditions'), j);
      const status = str(c.status);
      if (!status) errs.push(fieldErr.required(child(cp, 'status'), `valid values: ${goQuoteList(['False', 'True', 'Unknown'])}`));
      else if (!['False', 'True', 'Unknown'].includes(status)) errs.push(fieldErr.notSupported(child(cp, 'status'), status, ['False', 'True', 'Unknown']));
    });
    if (onExit && conds.length) errs.push(fieldErr.invalid(p, OMIT_VALUE, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExit && !conds.length) errs.push(fieldErr.invalid(p, OMIT_VALUE, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errs;
}

function restartPolicy(spec: Obj, path: string): FieldError[] {
  const rp = str(obj(obj(spec.template).spec).restartPolicy);
  const p = child(path, 'template', 'spec', 'restartPolicy');
  if (rp === 'Always' || rp === '') return [fieldErr.required(p, 'valid values: "OnFailure", "Never"')];
  if (rp !== 'OnFailure' && rp !== 'Never') return [fieldErr.notSupported(p, rp, ['OnFailure', 'Never'])];
  if (optObj(spec.podFailurePolicy) && rp !== 'Never') return [fieldErr.invalid(p, rp, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

/** validateJobSpec (shared with CronJob's jobTemplate). */
export function validateJobSpecBody(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    const v = optNum(spec[f]);
    if (v !== undefined) errs.push(...validateNonnegative(v, child(path, f)));
    if (f === 'maxFailedIndexes' && v !== undefined && optNum(spec.backoffLimitPerIndex) === undefined)
      errs.push(fieldErr.required(child(path, 'backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  const mode = typeof spec.completionMode === 'string' ? spec.completionMode : undefined;
  if (mode !== undefined) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(fieldErr.notSupported(child(path, 'completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (optNum(spec.completions) === undefined) errs.push(fieldErr.required(child(path, 'completions'), 'when completion mode is Indexed'));
      const par = optNum(spec.parallelism);
      if (par !== undefined && par > 100000) errs.push(fieldErr.invalid(child(path, 'parallelism'), par, 'must be less than or equal to 100000 when completion mode is Indexed'));
      const mfi = optNum(spec.maxFailedIndexes);
      if (mfi !== undefined && optNum(spec.completions) !== undefined && mfi > num(spec.completions))
        errs.push(fieldErr.invalid(child(path, 'maxFailedIndexes'), mfi, 'must be less than or equal to completions'));
    }
  }
  if (mode === undefined || mode === 'NonIndexed')
    for (const f of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
      const v = optNum(spec[f]);
      if (v !== undefined) errs.push(fieldErr.invalid(child(path, f), v, 'requires indexed completion mode'));
    }
  if (optObj(spec.podFailurePolicy)) errs.push(...podFailurePolicy(spec, child(path, 'podFailurePolicy')));
  const success = optObj(spec.successPolicy);
  if (success) {
    if (mode !== 'Indexed') errs.push(fieldErr.invalid(child(path, 'successPolicy'), success, 'requires indexed completion mode'));
    else if (!objs(success.rules).length)
      errs.push(fieldErr.required(child(path, 'successPolicy', 'rules'), 'at least one rules must be specified when the successPolicy is specified'));
  }
  const prp = spec.podReplacementPolicy;
  if (typeof prp === 'string') {
    const allowed = optObj(spec.podFailurePolicy) ? ['Failed'] : ['Failed', 'TerminatingOrFailed'];
    if (!allowed.includes(prp)) errs.push(fieldErr.notSupported(child(path, 'podReplacementPolicy'), prp, allowed));
  }
  errs.push(...validatePodTemplateSpec(spec.template, child(path, 'template')), ...restartPolicy(spec, path));
  return errs;
}

export function validateJobSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs = validateJobSpecBody(spec, path);
  if (spec.selector === undefined || spec.selector === null) errs.push(fieldErr.required(child(path, 'selector')));
  else errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  const sel = labelSelectorAsSelector(spec.selector);
  const labels = obj(obj(spec.template).metadata).labels;
  if (sel && !sel.matches(strMap(labels))) errs.push(fieldErr.invalid(child(path, 'template', 'metadata', 'labels'), goStringMap(labels), SELECTOR_MISMATCH));
  return errs;
}

export function validateJob(job: Obj, requirePrefixedLabels = true): FieldError[] {
  const errs = [...validateObjectMeta(job.metadata, true, nameIsDNSSubdomain), ...generatedSelector(job, requirePrefixedLabels), ...validateJobSpec(job.spec, 'spec')];
  const spec = obj(job.spec);
  const completions = optNum(spec.completions);
  if (spec.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    const name = str(obj(job.metadata).name);
    const host = `${name}-${completions - 1}`;
    if (isDNS1123Label(host).length) errs.push(fieldErr.invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

export function validateJobUpdate(job: Obj, old: Obj): FieldError[] {
  const spec = obj(job.spec);
  const oldSpec = obj(old.spec);
  const errs = [...validateObjectMetaUpdate(job.metadata, old.metadata), ...validateJobSpec(spec, 'spec')];
  if (spec.completionMode === 'Indexed' && optNum(spec.completions) !== undefined && spec.completions !== oldSpec.completions) {
    if (spec.completions !== spec.parallelism) errs.push(fieldErr.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  } else errs.push(...validateImmutable(spec.completions, oldSpec.completions, 'spec.completions', spec.completions ?? null));
  errs.push(...validateImmutable(spec.selector, oldSpec.selector, 'spec.selector', goLabelSelector(spec.selector)));
  const oldTemplate = JSON.parse(JSON.stringify(oldSpec.template ?? {})) as Obj;
  if (oldSpec.suspend === true && !obj(old.status).startTime) {
    const t = obj(spec.template);
    const ots = obj(oldTemplate.spec);
    ots.nodeSelector = obj(t.spec).nodeSelector;
    ots.tolerations = obj(t.spec).tolerations;
    ots.schedulingGates = obj(t.spec).schedulingGates;
    ots.affinity = optObj(obj(t.spec).affinity) || optObj(ots.affinity) ? { ...obj(ots.affinity), nodeAffinity: obj(obj(t.spec).affinity).nodeAffinity } : undefined;
    oldTemplate.spec = ots;
    oldTemplate.metadata = { ...obj(oldTemplate.metadata), labels: obj(t.metadata).labels, annotations: obj(t.metadata).annotations };
  }
  errs.push(...validateImmutable(spec.template, oldTemplate, 'spec.template'));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'])
    errs.push(...validateImmutable(spec[f], oldSpec[f], child('spec', f), spec[f] ?? null));
  return errs;
}

export function validateJobStatusUpdate(job: Obj, old: Obj): FieldError[] {
  const status = obj(job.status);
  const errs = validateObjectMetaUpdate(job.metadata, old.metadata);
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating']) {
    const v = optNum(status[f]);
    if (v !== undefined) errs.push(...validateNonnegative(v, child('status', f)));
  }
  return errs;
}

function timeZone(tz: unknown, path: string): FieldError[] {
  if (typeof tz !== 'string') return [];
  if (!tz) return [fieldErr.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  if (tz.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(p)))
    return [fieldErr.invalid(path, tz, `unknown time zone ${tz}`)];
  if (tz.toLowerCase() === 'local') return [fieldErr.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(tz) ? [] : [fieldErr.invalid(path, tz, `unknown time zone ${tz}`)];
}

function validateCronJobSpec(specIn: unknown, oldIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const old = oldIn === undefined ? undefined : obj(oldIn);
  const errs: FieldError[] = [];
  const schedule = str(spec.schedule);
  if (!schedule) errs.push(fieldErr.required(child(path, 'schedule')));
  else {
    const err = cronScheduleError(schedule);
    if (err) errs.push(fieldErr.invalid(child(path, 'schedule'), schedule, err));
    const allowTZ = !!old && str(old.schedule).includes('TZ');
    if (allowTZ && schedule.includes('TZ') && typeof spec.timeZone === 'string')
      errs.push(fieldErr.invalid(child(path, 'schedule'), schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    else if (!allowTZ && schedule.includes('TZ')) errs.push(fieldErr.invalid(child(path, 'schedule'), schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  const sds = optNum(spec.startingDeadlineSeconds);
  if (sds !== undefined) errs.push(...validateNonnegative(sds, child(path, 'startingDeadlineSeconds')));
  if (!old || old.timeZone !== spec.timeZone) errs.push(...timeZone(spec.timeZone, child(path, 'timeZone')));
  const cp = str(spec.concurrencyPolicy);
  if (!cp) errs.push(fieldErr.required(child(path, 'concurrencyPolicy')));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(fieldErr.notSupported(child(path, 'concurrencyPolicy'), cp, ['Allow', 'Forbid', 'Replace']));
  const jt = obj(obj(spec.jobTemplate).spec);
  const jtPath = child(path, 'jobTemplate', 'spec');
  errs.push(...validateJobSpecBody(jt, jtPath));
  if (jt.selector !== undefined && jt.selector !== null) errs.push(fieldErr.invalid(child(jtPath, 'selector'), goLabelSelector(jt.selector), '`selector` will be auto-generated'));
  if (jt.manualSelector === true) errs.push(fieldErr.notSupported(child(jtPath, 'manualSelector'), true, ['nil', 'false']));
  for (const f of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    const v = optNum(spec[f]);
    if (v !== undefined) errs.push(...validateNonnegative(v, child(path, f)));
  }
  return errs;
}

export function validateCronJob(cj: Obj): FieldError[] {
  const errs = [...validateObjectMeta(cj.metadata, true, nameIsDNSSubdomain), ...validateCronJobSpec(cj.spec, undefined, 'spec')];
  const name = str(obj(cj.metadata).name);
  if (name.length > 52) errs.push(fieldErr.invalid('metadata.name', name, 'must be no more than 52 characters'));
  return errs;
}

export function validateCronJobUpdate(cj: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(cj.metadata, old.metadata), ...validateCronJobSpec(cj.spec, old.spec, 'spec')];
}

