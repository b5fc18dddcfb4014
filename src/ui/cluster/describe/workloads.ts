/**
 * `kubectl describe` for Deployment, ReplicaSet, StatefulSet, DaemonSet and Job (describe.go's describeDeployment,
 * describeReplicaSet, describeStatefulSet, describeDaemonSet, describeJob). "Pods Status" counts `ctx.pods` whose
 * controller is the object (by uid); a Deployment's OldReplicaSets/NewReplicaSet come from `ctx.replicaSets` it
 * controls — the new one is the one whose pod-template-hash matches the newest revision annotation.
 */
import { humanDuration, parseTime } from '../../../apiserver/table/age';
import { annotationsMultiline, arr, controllerOf, describeEvents, formatLabels, int, labelsMultiline, obj, rfc1123z, selectorString, str, type DescribeContext, type Json } from './common';
import { describePodTemplate } from './pod';
import type { PrefixWriter } from './tabwriter';

function controlledBy(o: Json, uid: string): boolean {
  return arr(obj(o.metadata).ownerReferences).some((r) => r.controller === true && str(r.uid) === uid);
}

function podsStatus(o: Json, ctx: DescribeContext): string {
  const uid = str(obj(o.metadata).uid);
  const n = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const p of (ctx.pods ?? []).map(obj)) {
    if (!controlledBy(p, uid)) continue;
    const phase = str(obj(p.status).phase) as keyof typeof n;
    if (phase in n) n[phase]++;
  }
  return `${n.Running} Running / ${n.Pending} Waiting / ${n.Succeeded} Succeeded / ${n.Failed} Failed`;
}

function header(w: PrefixWriter, o: Json, withCreation: boolean): void {
  const m = obj(o.metadata);
  w.write(0, `Name:\t${str(m.name)}\n`);
  w.write(0, `Namespace:\t${str(m.namespace)}\n`);
  if (withCreation) w.write(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
}

function conditionsTable(w: PrefixWriter, conditions: unknown): void {
  const list = arr(conditions);
  if (!list.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of list) w.write(1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
}

const intOrString = (v: unknown) => (v === undefined || v === null ? '0' : str(v));

export function describeDeployment(w: PrefixWriter, d: Json, ctx: DescribeContext): void {
  const m = obj(d.metadata);
  const spec = obj(d.spec);
  const st = obj(d.status);
  header(w, d, true);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${selectorString(spec.selector, '')}\n`);
  w.write(0, `Replicas:\t${int(spec.replicas)} desired | ${int(st.updatedReplicas)} updated | ${int(st.replicas)} total | ${int(st.availableReplicas)} available | ${int(st.unavailableReplicas)} unavailable\n`);
  const strategy = obj(spec.strategy);
  w.write(0, `StrategyType:\t${str(strategy.type)}\n`);
  w.write(0, `MinReadySeconds:\t${int(spec.minReadySeconds)}\n`);
  if (strategy.rollingUpdate) {
    const ru = obj(strategy.rollingUpdate);
    w.write(0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
  }
  describePodTemplate(w, spec.template);
  conditionsTable(w, st.conditions);
  const uid = str(m.uid);
  const owned = (ctx.replicaSets ?? []).map(obj).filter((rs) => controlledBy(rs, uid));
  if (owned.length) {
    const revision = (rs: Json) => Number(str(obj(obj(rs.metadata).annotations)['deployment.kubernetes.io/revision']) || 0);
    const newest = owned.reduce((a, b) => (revision(b) > revision(a) ? b : a));
    const fmt = (list: Json[]) => list.map((rs) => `${str(obj(rs.metadata).name)} (${int(obj(rs.status).replicas)}/${int(obj(rs.spec).replicas)} replicas created)`).join(', ') || '<none>';
    w.write(0, `OldReplicaSets:\t${fmt(owned.filter((rs) => rs !== newest))}\n`);
    w.write(0, `NewReplicaSet:\t${fmt([newest])}\n`);
  }
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}

export function describeReplicaSet(w: PrefixWriter, rs: Json, ctx: DescribeContext): void {
  const m = obj(rs.metadata);
  const spec = obj(rs.spec);
  header(w, rs, false);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  const ctl = controllerOf(rs);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${int(obj(rs.status).replicas)} current / ${int(spec.replicas)} desired\n`);
  w.write(0, `Pods Status:\t${podsStatus(rs, ctx)}\n`);
  describePodTemplate(w, spec.template);
  conditionsTable(w, obj(rs.status).conditions);
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}

export function describeStatefulSet(w: PrefixWriter, ss: Json, ctx: DescribeContext): void {
  const m = obj(ss.metadata);
  const spec = obj(ss.spec);
  header(w, ss, true);
  w.write(0, `Selector:\t${selectorString(spec.selector, '')}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Replicas:\t${int(spec.replicas)} desired | ${int(obj(ss.status).replicas)} total\n`);
  const us = obj(spec.updateStrategy);
  w.write(0, `Update Strategy:\t${str(us.type)}\n`);
  const ru = us.rollingUpdate === undefined ? undefined : obj(us.rollingUpdate);
  if (ru && typeof ru.partition === 'number') {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined) w.write(1, `MaxUnavailable:\t${str(ru.maxUnavailable)}\n`);
  }
  w.write(0, `Pods Status:\t${podsStatus(ss, ctx)}\n`);
  describePodTemplate(w, spec.template);
  const claims = arr(spec.volumeClaimTemplates);
  if (!claims.length) w.write(0, 'Volume Claims:\t<none>\n');
  else {
    w.write(0, 'Volume Claims:\n');
    for (const c of claims) {
      const cm = obj(c.metadata);
      const cs = obj(c.spec);
      w.write(1, `Name:\t${str(cm.name)}\n`);
      w.write(1, `StorageClass:\t${str(cs.storageClassName)}\n`);
      labelsMultiline(w, 'Labels', cm.labels, '  ');
      labelsMultiline(w, 'Annotations', cm.annotations, '  ');
      const cap = str(obj(obj(cs.resources).requests).storage);
      w.write(1, `Capacity:\t${cap || '<default>'}\n`);
      w.write(1, `Access Modes:\t[${(Array.isArray(cs.accessModes) ? (cs.accessModes as unknown[]).map(str) : []).join(' ')}]\n`);
    }
  }
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}

export function describeDaemonSet(w: PrefixWriter, ds: Json, ctx: DescribeContext): void {
  const m = obj(ds.metadata);
  const spec = obj(ds.spec);
  const st = obj(ds.status);
  header(w, ds, false);
  w.write(0, `Selector:\t${selectorString(spec.selector, '')}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(obj(obj(spec.template).spec).nodeSelector)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${int(st.desiredNumberScheduled)}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${int(st.currentNumberScheduled)}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${int(st.updatedNumberScheduled)}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${int(st.numberAvailable)}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${int(st.numberMisscheduled)}\n`);
  w.write(0, `Pods Status:\t${podsStatus(ds, ctx)}\n`);
  describePodTemplate(w, spec.template);
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}

export function describeJob(w: PrefixWriter, job: Json, ctx: DescribeContext): void {
  const m = obj(job.metadata);
  const spec = obj(job.spec);
  const st = obj(job.status);
  header(w, job, false);
  w.write(0, `Selector:\t${selectorString(spec.selector, '')}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  const ctl = controllerOf(job);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (typeof spec.parallelism === 'number') w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, typeof spec.completions === 'number' ? `Completions:\t${spec.completions}\n` : 'Completions:\t<unset>\n');
  if (str(spec.completionMode)) w.write(0, `Completion Mode:\t${str(spec.completionMode)}\n`);
  if (typeof spec.suspend === 'boolean') w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (typeof spec.backoffLimit === 'number') w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (typeof spec.ttlSecondsAfterFinished === 'number') w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  const start = parseTime(st.startTime);
  const end = parseTime(st.completionTime);
  if (start !== undefined && end !== undefined) w.write(0, `Duration:\t${humanDuration(end - start)}\n`);
  if (typeof spec.activeDeadlineSeconds === 'number') w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  w.write(0, typeof st.ready === 'number'
    ? `Pods Statuses:\t${int(st.active)} Active (${st.ready} Ready) / ${int(st.succeeded)} Succeeded / ${int(st.failed)} Failed\n`
    : `Pods Statuses:\t${int(st.active)} Active / ${int(st.succeeded)} Succeeded / ${int(st.failed)} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${str(st.completedIndexes) || '<none>'}\n`);
  describePodTemplate(w, spec.template);
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}
