/**
 * `describe(kind, obj, events, ctx)`: the text `kubectl describe <kind>` prints (kubectl 1.32 layout, Go tabwriter
 * alignment) for Pod, Node, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, Service and Namespace, the generic
 * layout for any other kind; and `whyThisNode(pod)`, the scheduler's explanation. Pure: no clock, no I/O.
 */
import { kindOf } from '../ids';
import { obj, type DescribeContext, type Json } from './common';
import { describeGeneric } from './generic';
import { describeNode } from './node';
import { describePod } from './pod';
import { describeNamespace, describeService } from './service';
import { PrefixWriter } from './tabwriter';
import { describeDaemonSet, describeDeployment, describeJob, describeReplicaSet, describeStatefulSet } from './workloads';

export type { DescribeContext } from './common';
export { whyThisNode } from './why-this-node';
export { rfc1123z } from './common';
export { TabWriter, PrefixWriter } from './tabwriter';

type Describer = (w: PrefixWriter, o: Json, ctx: DescribeContext) => void;

const DESCRIBERS: Record<string, Describer> = {
  Pod: describePod,
  Node: describeNode,
  Deployment: describeDeployment,
  ReplicaSet: describeReplicaSet,
  StatefulSet: describeStatefulSet,
  DaemonSet: describeDaemonSet,
  Job: describeJob,
  Service: describeService,
  Namespace: describeNamespace,
};

/**
 * Describes `object` of `kind` (a kind or resource name, any case). `events` (core/v1 Events about it) adds the
 * Events section — pass [] for "Events: <none>", undefined to leave it out. `ctx.now` defaults to 0 only for
 * callers that print no ages; pass the real time.
 */
export function describe(kind: string, object: unknown, events: readonly unknown[] | undefined, ctx: Partial<DescribeContext> & { now: number }): string {
  const k = kindOf(kind) ?? (kind.toLowerCase() === 'service' || kind.toLowerCase() === 'services' ? 'Service' : kind);
  const fn = DESCRIBERS[k] ?? describeGeneric;
  const w = new PrefixWriter();
  fn(w, obj(object), { ...ctx, events });
  return w.toString();
}
