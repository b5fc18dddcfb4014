/**
 * `kubectl describe` for Service (describeService, endpoints from `ctx.endpointSlices` as formatEndpointSlices: ready
 * addresses "ip:port" for the port's name, at most 3 then "+ N more...") and Namespace (describeNamespace; quotas and
 * limit ranges are not looked up, so the "No resource quota." / "No LimitRange resource." lines are always printed).
 */
import { annotationsMultiline, arr, describeEvents, formatLabels, int, labelsMultiline, obj, rfc1123z, str, type DescribeContext, type Json } from './common';
import type { PrefixWriter } from './tabwriter';

function endpoints(slices: Json[], portName: string): string {
  if (!slices.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const s of slices) {
    for (const p of arr(s.ports)) {
      if (str(p.name) !== portName) continue;
      for (const e of arr(s.endpoints)) {
        if (list.length === 3) more = true;
        const ready = obj(e.conditions).ready;
        if (ready === false) continue;
        const addr = str((e.addresses as unknown[] | undefined)?.[0]);
        if (!more) list.push(addr.includes(':') ? `[${addr}]:${int(p.port)}` : `${addr}:${int(p.port)}`);
        count++;
      }
    }
  }
  return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

export function describeService(w: PrefixWriter, svc: Json, ctx: DescribeContext): void {
  const m = obj(svc.metadata);
  const spec = obj(svc.spec);
  w.write(0, `Name:\t${str(m.name)}\n`);
  w.write(0, `Namespace:\t${str(m.namespace)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${str(spec.type)}\n`);
  if (str(spec.ipFamilyPolicy)) w.write(0, `IP Family Policy:\t${str(spec.ipFamilyPolicy)}\n`);
  const fam = Array.isArray(spec.ipFamilies) ? (spec.ipFamilies as unknown[]).map(str) : [];
  w.write(0, `IP Families:\t${fam.length ? fam.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${str(spec.clusterIP)}\n`);
  const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as unknown[]).map(str) : [];
  w.write(0, `IPs:\t${ips.length ? ips.join(',') : '<none>'}\n`);
  const ext = Array.isArray(spec.externalIPs) ? (spec.externalIPs as unknown[]).map(str) : [];
  if (ext.length) w.write(0, `External IPs:\t${ext.join(',')}\n`);
  if (str(spec.loadBalancerIP)) w.write(0, `Desired LoadBalancer IP:\t${str(spec.loadBalancerIP)}\n`);
  if (str(spec.externalName)) w.write(0, `External Name:\t${str(spec.externalName)}\n`);
  const ingress = arr(obj(obj(svc.status).loadBalancer).ingress);
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => (str(i.ip) ? `${str(i.ip)}${str(i.ipMode) ? ` (${str(i.ipMode)})` : ''}` : str(i.hostname))).join(', ')}\n`);
  const slices = (ctx.endpointSlices ?? []).map(obj);
  for (const p of arr(spec.ports)) {
    const name = str(p.name) || '<unset>';
    const proto = str(p.protocol) || 'TCP';
    w.write(0, `Port:\t${name}\t${int(p.port)}/${proto}\n`);
    w.write(0, `TargetPort:\t${str(p.targetPort ?? p.port)}/${proto}\n`);
    if (int(p.nodePort)) w.write(0, `NodePort:\t${name}\t${int(p.nodePort)}/${proto}\n`);
    w.write(0, `Endpoints:\t${endpoints(slices, str(p.name))}\n`);
  }
  w.write(0, `Session Affinity:\t${str(spec.sessionAffinity)}\n`);
  if (str(spec.externalTrafficPolicy)) w.write(0, `External Traffic Policy:\t${str(spec.externalTrafficPolicy)}\n`);
  if (str(spec.internalTrafficPolicy)) w.write(0, `Internal Traffic Policy:\t${str(spec.internalTrafficPolicy)}\n`);
  if (int(spec.healthCheckNodePort)) w.write(0, `HealthCheck NodePort:\t${int(spec.healthCheckNodePort)}\n`);
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}

export function describeNamespace(w: PrefixWriter, ns: Json, _ctx: DescribeContext): void {
  const m = obj(ns.metadata);
  const st = obj(ns.status);
  w.write(0, `Name:\t${str(m.name)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `Status:\t${str(st.phase)}\n`);
  const conditions = arr(st.conditions);
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${str(c.type)}\t${str(c.status)}\t${rfc1123z(c.lastTransitionTime)}\t${str(c.reason)}\t${str(c.message)}\n`);
  }
  w.write(0, '\nNo resource quota.\n');
  w.write(0, '\nNo LimitRange resource.\n');
}
