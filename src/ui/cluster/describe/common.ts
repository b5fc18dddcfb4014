/**
 * Shared pieces of `kubectl describe` (describe.go): the multi-line Labels / Annotations / Taints / Tolerations
 * fields, the Events table (sorted by last occurrence; Age "5m (x3 over 10m)"; From = source.component or
 * reportingController), RFC1123Z times and the defensive readers the describers use. Times are printed in UTC (kubectl
 * prints the local zone); ages are relative to the injected `now`.
 */
import { humanDuration, parseTime } from '../../../apiserver/table/age';
import type { PrefixWriter } from './tabwriter';

export type Json = Record<string, unknown>;
export const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
export const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
export const strMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = str(x);
  return out;
};

/** Everything a describer may use besides the object. */
export interface DescribeContext {
  /** "Now" in ms since the epoch; ages are computed against it. */
  now: number;
  /** Events about the object (core/v1 Event JSON); undefined prints no Events section. */
  events?: readonly unknown[];
  /** Related objects the describers list: the node's or controller's pods, a Deployment's ReplicaSets, a Service's
   *  EndpointSlices, the node's Lease. */
  pods?: readonly unknown[];
  replicaSets?: readonly unknown[];
  endpointSlices?: readonly unknown[];
  lease?: unknown;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000"; Go's zero time for an absent timestamp. */
export function rfc1123z(ts: unknown): string {
  const t = parseTime(ts);
  if (t === undefined) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(t);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** translateTimestampSince. */
export function since(ts: unknown, now: number): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

const sortedKeys = (m: Record<string, string>) => Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** printLabelsMultilineWithIndent. */
export function labelsMultiline(w: PrefixWriter, title: string, labels: unknown, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const m = strMap(labels);
  const keys = sortedKeys(m);
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${k}=${m[k]}\n`);
  });
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;
const shorten = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}...` : s);

/** printAnnotationsMultiline (long or multi-line values on their own lines, cut at 138 characters). */
export function annotationsMultiline(w: PrefixWriter, title: string, annotations: unknown): void {
  w.write(0, `${title}:\t`);
  const m = strMap(annotations);
  const keys = sortedKeys(m).filter((k) => !SKIP_ANNOTATIONS.has(k));
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = m[k]!.replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

/** Taint.ToString: key=value:effect, key:effect, key=value:, key:. */
export function taintString(t: Json): string {
  const kv = str(t.value) ? `${str(t.key)}=${str(t.value)}` : str(t.key);
  return `${kv}:${str(t.effect)}`;
}

export function taintsMultiline(w: PrefixWriter, title: string, taints: unknown): void {
  w.write(0, `${title}:\t`);
  const list = arr(taints).sort((a, b) => {
    const ka = `${str(a.effect)},${str(a.key)}`;
    const kb = `${str(b.effect)},${str(b.key)}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  if (list.length === 0) return w.line('<none>');
  list.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${taintString(t)}\n`);
  });
}

/** printTolerationsMultilineWithIndent. */
export function tolerationsMultiline(w: PrefixWriter, title: string, tolerations: unknown, initialIndent = ''): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const list = arr(tolerations).sort((a, b) => (str(a.key) < str(b.key) ? -1 : str(a.key) > str(b.key) ? 1 : 0));
  if (list.length === 0) return w.line('<none>');
  list.forEach((t, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    let s = str(t.key);
    if (str(t.value)) s += `=${str(t.value)}`;
    if (str(t.effect)) s += `:${str(t.effect)}`;
    if (t.operator === 'Exists' && !str(t.value)) s += str(t.key) || str(t.effect) ? ' op=Exists' : 'op=Exists';
    if (typeof t.tolerationSeconds === 'number') s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

function eventTime(e: Json): number {
  const series = obj(e.series);
  return parseTime(series.lastObservedTime) ?? parseTime(e.lastTimestamp) ?? parseTime(e.eventTime) ?? 0;
}

/** DescribeEvents. */
export function describeEvents(w: PrefixWriter, events: readonly unknown[], now: number): void {
  if (events.length === 0) return w.write(0, 'Events:\t<none>\n');
  w.flush();
  const list = events.map(obj).sort((a, b) => eventTime(a) - eventTime(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of list) {
    const first = parseTime(e.eventTime) !== undefined ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    const series = e.series === undefined || e.series === null ? undefined : obj(e.series);
    let age = first;
    if (series) age = `${since(series.lastObservedTime, now)} (x${int(series.count)} over ${first})`;
    else if (int(e.count) > 1) age = `${since(e.lastTimestamp, now)} (x${int(e.count)} over ${first})`;
    const from = str(obj(e.source).component) || str(e.reportingController) || str(e.reportingComponent);
    w.write(1, `${str(e.type)}\t${str(e.reason)}\t${age}\t${from}\t${str(e.message).trim()}\n`);
  }
}

/** printController: "Kind/name" of the controller ownerReference, or "". */
export function controllerOf(o: Json): string {
  const ref = arr(obj(o.metadata).ownerReferences).find((r) => r.controller === true);
  return ref ? `${str(ref.kind)}/${str(ref.name)}` : '';
}

/** metav1.FormatLabelSelector / LabelSelectorAsSelector().String(), both "k=v,k2 in (a,b)"; "<none>" when empty. */
export function selectorString(sel: unknown, emptyAs = '<none>'): string {
  const s = obj(sel);
  const parts: [string, string][] = [];
  const ml = strMap(s.matchLabels);
  for (const k of sortedKeys(ml)) parts.push([k, `${k}=${ml[k]}`]);
  for (const e of arr(s.matchExpressions)) {
    const vals = (Array.isArray(e.values) ? (e.values as unknown[]).map(str) : []).sort();
    const op = str(e.operator);
    const k = str(e.key);
    if (op === 'In') parts.push([k, `${k} in (${vals.join(',')})`]);
    else if (op === 'NotIn') parts.push([k, `${k} notin (${vals.join(',')})`]);
    else if (op === 'Exists') parts.push([k, k]);
    else if (op === 'DoesNotExist') parts.push([k, `!${k}`]);
  }
  parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return parts.length ? parts.map((p) => p[1]).join(',') : emptyAs;
}

/** labels.FormatLabels: "k=v,k2=v2" sorted, "<none>" when empty. */
export function formatLabels(m: unknown): string {
  const l = strMap(m);
  const keys = sortedKeys(l);
  return keys.length ? keys.map((k) => `${k}=${l[k]}`).join(',') : '<none>';
}
