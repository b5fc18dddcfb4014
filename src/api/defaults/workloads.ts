/**
 * Workload defaults (apps/v1, batch/v1, core ReplicationController and PodTemplate): replicas, update strategies,
 * history limits, Job completions/parallelism/backoff/completion mode/suspend/pod replacement, CronJob policy and
 * history limits, RC selector and labels from the template, and the pod template inside each.
 */
import { defaultPersistentVolumeClaim } from './volumes';
import { defaultPodTemplate } from './pod';
import { ensure, isSet, list, setDefault, setDefaultString, sub, templateMetadata, type Obj } from './util';

const MAX_INT32 = 2147483647;

export function defaultDeployment(d: Obj): void {
  const spec = ensure(d, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensure(spec, 'strategy');
  setDefaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(ensure(spec, 'template'));
}

export function defaultReplicaSet(rs: Obj): void {
  const spec = ensure(rs, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(ensure(spec, 'template'));
}

export function defaultStatefulSet(sts: Obj): void {
  const spec = ensure(sts, 'spec');
  setDefaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const us = ensure(spec, 'updateStrategy');
  if (!us.type) {
    us.type = 'RollingUpdate';
    setDefault(us, 'rollingUpdate', {});
  }
  const ru = sub(us, 'rollingUpdate');
  if (us.type === 'RollingUpdate' && ru) setDefault(ru, 'partition', 0);
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefaultString(retention, 'whenDeleted', 'Retain');
  setDefaultString(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(ensure(spec, 'template'));
  for (const pvc of list(spec, 'volumeClaimTemplates')) {
    setDefault(pvc, 'apiVersion', 'v1');
    setDefault(pvc, 'kind', 'PersistentVolumeClaim');
    templateMetadata(pvc);
    defaultPersistentVolumeClaim(pvc);
  }
}

export function defaultDaemonSet(ds: Obj): void {
  const spec = ensure(ds, 'spec');
  const us = ensure(spec, 'updateStrategy');
  setDefaultString(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') {
    const ru = ensure(us, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(ensure(spec, 'template'));
}

export function defaultJob(job: Obj): void {
  const spec = ensure(job, 'spec');
  if (!isSet(spec.completions) && !isSet(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', isSet(spec.backoffLimitPerIndex) ? MAX_INT32 : 6);
  const template = ensure(spec, 'template');
  const labels = sub(ensure(template, 'metadata'), 'labels');
  const meta = ensure(job, 'metadata');
  if (labels && !Object.keys(sub(meta, 'labels') ?? {}).length) meta.labels = { ...labels };
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', isSet(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(template);
}

export function defaultCronJob(cj: Obj): void {
  const spec = ensure(cj, 'spec');
  setDefaultString(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobTemplate = ensure(spec, 'jobTemplate');
  templateMetadata(jobTemplate);
  defaultPodTemplate(ensure(ensure(jobTemplate, 'spec'), 'template'));
}

export function defaultReplicationController(rc: Obj): void {
  const spec = ensure(rc, 'spec');
  const template = sub(spec, 'template');
  const labels = template && sub(ensure(template, 'metadata'), 'labels');
  if (labels) {
    if (!Object.keys(sub(spec, 'selector') ?? {}).length) spec.selector = { ...labels };
    const meta = ensure(rc, 'metadata');
    if (!Object.keys(sub(meta, 'labels') ?? {}).length) meta.labels = { ...labels };
  }
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(template);
}

export function defaultPodTemplateObject(pt: Obj): void {
  defaultPodTemplate(ensure(pt, 'template'));
}
