/**
 * `kubectl describe node` (describeNode + describeNodeResource): roles, labels, taints, lease, conditions, addresses,
 * capacity/allocatable, system info, then the non-terminated pods with their requests/limits as % of allocatable and
 * the allocated totals. The pods come from `ctx.pods` (those bound to the node; terminated ones are skipped here).
 */
import { podLimits, podRequests } from '../../../apiserver/admission/pod-resources';
import { nodeRoles } from '../../../apiserver/table/nodes';
import { parseQuantity, tryParseQuantity, type Quantity } from '../../../api/quantity';
import { addInto, type ResourceList } from '../../../api/quantity-math';
import { annotationsMultiline, arr, describeEvents, labelsMultiline, obj, rfc1123z, since, str, strMap, taintsMultiline, type DescribeContext, type Json } from './common';
import type { PrefixWriter } from './tabwriter';

const ZERO = parseQuantity('0');
const pct = (a: bigint, b: bigint): number => (b === 0n ? 0 : Math.trunc((Number(a) / Number(b)) * 100));
const milli = (q: Quantity | undefined) => (q ?? ZERO).milliValue();
const value = (q: Quantity | undefined) => (q ?? ZERO).value();

export function describeNode(w: PrefixWriter, node: Json, ctx: DescribeContext): void {
  const meta = obj(node.metadata);
  const spec = obj(node.spec);
  const status = obj(node.status);
  const name = str(meta.name);
  w.write(0, `Name:\t${name}\n`);
  const roles = nodeRoles(strMap(meta.labels));
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  taintsMultiline(w, 'Taints', spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  if (ctx.lease !== undefined) {
    const ls = obj(obj(ctx.lease).spec);
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${str(ls.holderIdentity) || '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${ls.acquireTime ? rfc1123z(ls.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${ls.renewTime ? rfc1123z(ls.renewTime) : '<unset>'}\n`);
  }
  const conditions = arr(status.conditions);
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(1, `${str(c.type)} \t${str(c.status)} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of arr(status.addresses)) w.write(1, `${str(a.type)}:\t${str(a.address)}\n`);
  for (const [title, key] of [['Capacity', 'capacity'], ['Allocatable', 'allocatable']] as const) {
    const list = strMap(status[key]);
    if (Object.keys(list).length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const r of Object.keys(list).sort()) w.write(0, `  ${r}:\t${tryParseQuantity(list[r])?.toString() ?? list[r]}\n`);
  }
  const info = obj(status.nodeInfo);
  w.write(0, 'System Info:\n');
  const rows: [string, string][] = [
    ['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'],
    ['OS Image', 'osImage'], ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'],
    ['Container Runtime Version', 'containerRuntimeVersion'], ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion'],
  ];
  for (const [t, k] of rows) w.write(0, `  ${t}:\t${str(info[k])}\n`);
  if (str(spec.podCIDR)) w.write(0, `PodCIDR:\t${str(spec.podCIDR)}\n`);
  const cidrs = Array.isArray(spec.podCIDRs) ? (spec.podCIDRs as unknown[]).map(str) : [];
  if (cidrs.length) w.write(0, `PodCIDRs:\t${cidrs.join(',')}\n`);
  if (str(spec.providerID)) w.write(0, `ProviderID:\t${str(spec.providerID)}\n`);
  if (ctx.pods) nodeResources(w, status, ctx.pods.map(obj), ctx.now);
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}

function nodeResources(w: PrefixWriter, status: Json, all: Json[], now: number): void {
  const pods = all.filter((p) => !['Succeeded', 'Failed'].includes(str(obj(p.status).phase)));
  const allocList = Object.keys(obj(status.allocatable)).length ? obj(status.allocatable) : obj(status.capacity);
  const alloc = (r: string) => tryParseQuantity(allocList[r]);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const reqs: ResourceList = new Map();
  const lims: ResourceList = new Map();
  for (const p of pods) {
    const r = podRequests(p, { overhead: true });
    const l = podLimits(p, { overhead: true });
    addInto(reqs, r);
    addInto(lims, l);
    const m = obj(p.metadata);
    const cell = (q: Quantity | undefined, a: bigint, byMilli: boolean) => `${(q ?? ZERO).toString()} (${pct(byMilli ? milli(q) : value(q), a)}%)`;
    w.write(1, `${str(m.namespace)}\t${str(m.name)}\t\t${cell(r.get('cpu'), milli(alloc('cpu')), true)}\t${cell(l.get('cpu'), milli(alloc('cpu')), true)}\t${cell(r.get('memory'), value(alloc('memory')), false)}\t${cell(l.get('memory'), value(alloc('memory')), false)}\t${since(m.creationTimestamp, now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const byMilli = r === 'cpu';
    const a = byMilli ? milli(alloc(r)) : value(alloc(r));
    const rq = reqs.get(r);
    const lm = lims.get(r);
    w.write(1, `${r}\t${(rq ?? ZERO).toString()} (${pct(byMilli ? milli(rq) : value(rq), a)}%)\t${(lm ?? ZERO).toString()} (${pct(byMilli ? milli(lm) : value(lm), a)}%)\n`);
  }
}
