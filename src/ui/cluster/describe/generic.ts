/**
 * The fallback describer for kinds without a dedicated one, shaped like kubectl's generic describer
 * (printUnstructuredContent): Name, Namespace, Labels, Annotations, API Version, Kind, then every other top-level field
 * (metadata excepted) as an indented tree whose keys are title-cased ("spec" → "Spec", "clusterIP" → "Cluster IP"),
 * lists as "- " items, then Events. Key casing follows smartLabelFor loosely (acronyms such as IP, ID, URL kept).
 */
import { annotationsMultiline, describeEvents, labelsMultiline, obj, str, type DescribeContext, type Json } from './common';
import type { PrefixWriter } from './tabwriter';

const ACRONYMS = new Set(['api', 'cidr', 'cpu', 'dns', 'http', 'https', 'id', 'ip', 'ips', 'json', 'tcp', 'tls', 'udp', 'uid', 'uri', 'url']);

/** "clusterIPs" → "Cluster I Ps" is wrong upstream-wise; split on lower→upper boundaries, keep known acronyms upper. */
export function smartLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s_-]+/).filter(Boolean);
  return words.map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1))).join(' ');
}

function scalar(v: unknown): string {
  return v === null || v === undefined ? '<nil>' : typeof v === 'string' ? v : JSON.stringify(v);
}

function content(w: PrefixWriter, level: number, v: unknown): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (typeof item === 'object' && item !== null) {
        w.write(level, '-\n');
        content(w, level + 1, item);
      } else w.write(level, `- ${scalar(item)}\n`);
    }
    return;
  }
  for (const [k, x] of Object.entries(obj(v))) {
    if (typeof x === 'object' && x !== null && (Array.isArray(x) ? x.length > 0 : Object.keys(x).length > 0)) {
      w.write(level, `${smartLabel(k)}:\n`);
      content(w, level + 1, x);
    } else w.write(level, `${smartLabel(k)}:\t${typeof x === 'object' && x !== null ? '' : scalar(x)}\n`);
  }
}

export function describeGeneric(w: PrefixWriter, o: Json, ctx: DescribeContext): void {
  const m = obj(o.metadata);
  w.write(0, `Name:\t${str(m.name)}\n`);
  w.write(0, `Namespace:\t${str(m.namespace)}\n`);
  labelsMultiline(w, 'Labels', m.labels);
  annotationsMultiline(w, 'Annotations', m.annotations);
  w.write(0, `API Version:\t${str(o.apiVersion)}\n`);
  w.write(0, `Kind:\t${str(o.kind)}\n`);
  const rest: Json = {};
  for (const [k, v] of Object.entries(o)) if (!['apiVersion', 'kind', 'metadata'].includes(k)) rest[k] = v;
  content(w, 0, rest);
  if (ctx.events) describeEvents(w, ctx.events, ctx.now);
}
