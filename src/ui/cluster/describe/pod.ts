/**
 * `kubectl describe pod` (describePod) and the pieces the workload describers share: the Containers sections
 * (describeContainers: ids, image, ports, command/args, state, resources, probes, environment, mounts) and the
 * Pod Template block (DescribePodTemplate). Field order and wording follow describe.go; env values from fieldRefs are
 * not resolved (printed empty, as kubectl does for templates).
 */
import { isBestEffort, podLimits, podRequests } from '../../../apiserver/admission/pod-resources';
import {
  annotationsMultiline,
  arr,
  controllerOf,
  describeEvents,
  int,
  labelsMultiline,
  obj,
  rfc1123z,
  since,
  str,
  tolerationsMultiline,
  type DescribeContext,
  type Json,
} from './common';
import type { PrefixWriter } from './tabwriter';

const sortedNames = (m: Json) => Object.keys(m).sort();

function resources(w: PrefixWriter, r: Json, level: number): void {
  for (const [title, key] of [['Limits', 'limits'], ['Requests', 'requests']] as const) {
    const list = obj(r[key]);
    if (Object.keys(list).length > 0) w.write(level, `${title}:\n`);
    for (const n of sortedNames(list)) w.write(level + 1, `${n}:\t${str(list[n])}\n`);
  }
}

function probe(p: Json): string {
  const attrs = `delay=${int(p.initialDelaySeconds)}s timeout=${int(p.timeoutSeconds)}s period=${int(p.periodSeconds)}s #success=${int(p.successThreshold)} #failure=${int(p.failureThreshold)}`;
  if (p.exec) return `exec [${(arr(obj(p.exec).command) as unknown[]).length ? (obj(p.exec).command as unknown[]).map(str).join(' ') : ''}] ${attrs}`;
  if (p.httpGet) {
    const h = obj(p.httpGet);
    const scheme = (str(h.scheme) || 'HTTP').toLowerCase();
    const port = str(h.port);
    return `http-get ${scheme}://${str(h.host)}${port ? `:${port}` : ''}${str(h.path)} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${str(obj(p.tcpSocket).host)}:${str(obj(p.tcpSocket).port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${int(obj(p.grpc).port)} ${str(obj(p.grpc).service)} ${attrs}`;
  return `unknown ${attrs}`;
}

function state(w: PrefixWriter, title: string, s: Json): void {
  if (s.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(obj(s.running).startedAt)}\n`);
  } else if (s.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (str(obj(s.waiting).reason)) w.write(3, `Reason:\t${str(obj(s.waiting).reason)}\n`);
  } else if (s.terminated) {
    const t = obj(s.terminated);
    w.write(2, `${title}:\tTerminated\n`);
    if (str(t.reason)) w.write(3, `Reason:\t${str(t.reason)}\n`);
    if (str(t.message)) w.write(3, `Message:\t${str(t.message)}\n`);
    w.write(3, `Exit Code:\t${int(t.exitCode)}\n`);
    if (int(t.signal) > 0) w.write(3, `Signal:\t${int(t.signal)}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${title}:\tWaiting\n`);
}

function env(w: PrefixWriter, c: Json): void {
  const list = arr(c.env);
  w.write(2, `Environment:${list.length ? '' : '\t<none>'}\n`);
  for (const e of list) {
    const from = e.valueFrom === undefined ? undefined : obj(e.valueFrom);
    if (!from) {
      str(e.value).split('\n').forEach((s, i) => w.write(3, i === 0 ? `${str(e.name)}:\t${s}\n` : `\t${s}\n`));
    } else if (from.fieldRef) {
      w.write(3, `${str(e.name)}:\t (${str(obj(from.fieldRef).apiVersion)}:${str(obj(from.fieldRef).fieldPath)})\n`);
    } else if (from.resourceFieldRef) {
      w.write(3, `${str(e.name)}:\t (${str(obj(from.resourceFieldRef).resource)})\n`);
    } else if (from.secretKeyRef) {
      const r = obj(from.secretKeyRef);
      w.write(3, `${str(e.name)}:\t<set to the key '${str(r.key)}' in secret '${str(r.name)}'>\tOptional: ${r.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const r = obj(from.configMapKeyRef);
      w.write(3, `${str(e.name)}:\t<set to the key '${str(r.key)}' of config map '${str(r.name)}'>\tOptional: ${r.optional === true}\n`);
    }
  }
}

function mounts(w: PrefixWriter, c: Json): void {
  const list = arr(c.volumeMounts).sort((a, b) => (str(a.mountPath) < str(b.mountPath) ? -1 : 1));
  w.write(2, `Mounts:${list.length ? '' : '\t<none>'}\n`);
  for (const m of list) {
    const flags = [m.readOnly === true ? 'ro' : 'rw'];
    if (str(m.subPath)) flags.push(`path=${JSON.stringify(str(m.subPath))}`);
    w.write(3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(',')})\n`);
  }
}

export function describeContainers(w: PrefixWriter, label: string, containers: unknown, statuses: unknown, space: string): void {
  const list = arr(containers);
  const byName = new Map(arr(statuses).map((s) => [str(s.name), s]));
  w.write(0, `${space}${label}:${list.length ? '' : ' <none>'}\n`);
  for (const c of list) {
    const s = byName.get(str(c.name));
    w.write(1, `${space ? ' ' : ''}${str(c.name)}:\n`);
    if (s) w.write(2, `Container ID:\t${str(s.containerID)}\n`);
    w.write(2, `Image:\t${str(c.image)}\n`);
    if (s) w.write(2, `Image ID:\t${str(s.imageID)}\n`);
    const ports = arr(c.ports);
    const cp = ports.map((p) => `${int(p.containerPort)}/${str(p.protocol) || 'TCP'}`).join(', ');
    const hp = ports.map((p) => `${int(p.hostPort)}/${str(p.protocol) || 'TCP'}`).join(', ');
    w.write(2, cp.includes(',') ? `Ports:\t${cp}\n` : `Port:\t${cp || '<none>'}\n`);
    w.write(2, hp.includes(',') ? `Host Ports:\t${hp}\n` : `Host Port:\t${hp || '<none>'}\n`);
    for (const [title, key] of [['Command', 'command'], ['Args', 'args']] as const) {
      const items = Array.isArray(c[key]) ? (c[key] as unknown[]).map(str) : [];
      if (items.length) w.write(2, `${title}:\n`);
      for (const item of items) for (const line of item.split('\n')) w.write(3, `${line}\n`);
    }
    if (s) {
      state(w, 'State', obj(s.state));
      if (obj(s.lastState).terminated) state(w, 'Last State', obj(s.lastState));
      w.write(2, `Ready:\t${s.ready === true ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${int(s.restartCount)}\n`);
    }
    resources(w, obj(c.resources), 2);
    for (const [title, key] of [['Liveness', 'livenessProbe'], ['Readiness', 'readinessProbe'], ['Startup', 'startupProbe']] as const) {
      if (c[key]) w.write(2, `${title}:\t${probe(obj(c[key]))}\n`);
    }
    env(w, c);
    mounts(w, c);
  }
}

function volumes(w: PrefixWriter, vols: unknown, space: string): void {
  const list = arr(vols);
  if (list.length === 0) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of list) {
    w.write(1, `${space ? ' ' : ''}${str(v.name)}:\n`);
    if (v.emptyDir) {
      const e = obj(v.emptyDir);
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(e.medium)}\n    SizeLimit:\t${str(e.sizeLimit) || '<unset>'}\n`);
    } else if (v.hostPath) {
      const h = obj(v.hostPath);
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(h.path)}\n    HostPathType:\t${str(h.type) || '<none>'}\n`);
    } else if (v.configMap) {
      const c = obj(v.configMap);
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(c.name)}\n    Optional:\t${c.optional === true}\n`);
    } else if (v.secret) {
      const c = obj(v.secret);
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(c.secretName)}\n    Optional:\t${c.optional === true}\n`);
    } else if (v.persistentVolumeClaim) {
      const c = obj(v.persistentVolumeClaim);
      w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(c.claimName)}\n    ReadOnly:\t${c.readOnly === true}\n`);
    } else if (v.projected) w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    else w.write(1, '<unknown>\n');
  }
}

export function describePodTemplate(w: PrefixWriter, template: unknown): void {
  w.write(0, 'Pod Template:\n');
  const t = obj(template);
  const meta = obj(t.metadata);
  const spec = obj(t.spec);
  labelsMultiline(w, '  Labels', meta.labels);
  if (Object.keys(obj(meta.annotations)).length > 0) annotationsMultiline(w, '  Annotations', meta.annotations);
  if (str(spec.serviceAccountName)) w.write(1, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (arr(spec.initContainers).length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers, undefined, '  ');
  volumes(w, spec.volumes, '  ');
  if (str(spec.priorityClassName)) w.write(1, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  labelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  tolerationsMultiline(w, '  Tolerations', spec.tolerations);
}

/** qos.GetPodQOS: status.qosClass, else computed. */
function qosClass(pod: Json): string {
  const recorded = str(obj(pod.status).qosClass);
  if (recorded) return recorded;
  if (isBestEffort(pod)) return 'BestEffort';
  const req = podRequests(pod);
  const lim = podLimits(pod);
  const guaranteed = ['cpu', 'memory'].every((r) => lim.has(r) && (!req.has(r) || req.get(r)!.cmp(lim.get(r)!) === 0));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function describePod(w: PrefixWriter, pod: Json, ctx: DescribeContext): void {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  w.write(0, `Name:\t${str(meta.name)}\n`);
  w.write(0, `Namespace:\t${str(meta.namespace)}\n`);
  if (typeof spec.priority === 'number') w.write(0, `Priority:\t${spec.priority}\n`);
  if (str(spec.priorityClassName)) w.write(0, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  if (str(spec.runtimeClassName)) w.write(0, `Runtime Class Name:\t${str(spec.runtimeClassName)}\n`);
  if (str(spec.serviceAccountName)) w.write(0, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  w.write(0, str(spec.nodeName) ? `Node:\t${str(spec.nodeName)}/${str(status.hostIP)}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelsMultiline(w, 'Labels', meta.labels);
  annotationsMultiline(w, 'Annotations', meta.annotations);
  const phase = str(status.phase);
  if (meta.deletionTimestamp && phase !== 'Failed' && phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, ctx.now)})\n`);
    w.write(0, `Termination Grace Period:\t${int(meta.deletionGracePeriodSeconds)}s\n`);
  } else w.write(0, `Status:\t${phase}\n`);
  if (str(status.reason)) w.write(0, `Reason:\t${str(status.reason)}\n`);
  if (str(status.message)) w.write(0, `Message:\t${str(status.message)}\n`);
  w.write(0, `IP:\t${str(status.podIP)}\n`);
  const ips = arr(status.podIPs);
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${str(ip.ip)}\n`);
  }
  const controlledBy = controllerOf(pod);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (str(status.nominatedNodeName)) w.write(0, `NominatedNodeName:\t${str(status.nominatedNodeName)}\n`);
  if (arr(spec.initContainers).length) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, '');
  describeContainers(w, 'Containers', spec.containers, status.containerStatuses, '');
  const conditions = arr(status.conditions);
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${str(c.type)} \t${str(c.status)} \n`);
  }
  volumes(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${qosClass(pod)}\n`);
  labelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  tolerationsMultiline(w, 'Tolerations', spec.tolerations);
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}
