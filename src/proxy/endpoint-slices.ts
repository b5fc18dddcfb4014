/**
 * An EndpointSlice object → endpoints per service port (upstream pkg/proxy/endpointslicecache.go): slices are
 * grouped by their `kubernetes.io/service-name` label; each slice port names a service port (`ns/svc:portName`);
 * every endpoint contributes its first address with that port. Conditions follow upstream: ready nil → true,
 * serving nil → ready, terminating nil → false. Only IPv4 slices; slices without the service-name label are ignored.
 * Merging the slices of one service dedupes by `ip:port` (a ready copy wins, as upstream prefers).
 */
import type { CachedObject } from '../client/informers';
import { servicePortKey, type EndpointInfo } from './types';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface Slice {
  addressType?: string;
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null }; nodeName?: string; zone?: string }[] | null;
  ports?: { name?: string | null; port?: number | null; protocol?: string }[] | null;
}

/** The owning service (`ns/name`) of a slice, or undefined when kube-proxy ignores it. */
export function sliceService(obj: CachedObject): string | undefined {
  const svc = obj.metadata?.labels?.[SERVICE_NAME_LABEL];
  if (!svc || (obj as unknown as Slice).addressType !== 'IPv4') return undefined;
  return `${obj.metadata?.namespace ?? ''}/${svc}`;
}

/** Endpoints of each service port key this slice names. */
export function sliceEndpoints(obj: CachedObject): Map<string, EndpointInfo[]> {
  const out = new Map<string, EndpointInfo[]>();
  const s = obj as unknown as Slice;
  const svc = obj.metadata?.labels?.[SERVICE_NAME_LABEL];
  if (!svc) return out;
  const ns = obj.metadata?.namespace ?? '';
  for (const p of s.ports ?? []) {
    if (!p.port) continue;
    const list: EndpointInfo[] = [];
    for (const e of s.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!ip) continue;
      const ready = e.conditions?.ready ?? true;
      list.push({
        ip,
        port: p.port,
        ready,
        serving: e.conditions?.serving ?? ready,
        terminating: e.conditions?.terminating ?? false,
        ...(e.nodeName ? { nodeName: e.nodeName } : {}),
        ...(e.zone ? { zone: e.zone } : {}),
      });
    }
    out.set(servicePortKey(ns, svc, p.name ?? ''), list);
  }
  return out;
}

/** The endpoints of one service port merged over its slices, deduplicated and sorted by `ip:port`. */
export function mergeEndpoints(parts: Iterable<readonly EndpointInfo[]>): EndpointInfo[] {
  const byAddr = new Map<string, EndpointInfo>();
  for (const list of parts) {
    for (const e of list) {
      const k = `${e.ip}:${e.port}`;
      const prev = byAddr.get(k);
      if (!prev || (!prev.ready && e.ready)) byAddr.set(k, e);
    }
  }
  return [...byAddr.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((x) => x[1]);
}

export function sameEndpoints(a: readonly EndpointInfo[] | undefined, b: readonly EndpointInfo[] | undefined): boolean {
  if (!a || !b) return (a?.length ?? 0) === 0 && (b?.length ?? 0) === 0;
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    return x.ip === y.ip && x.port === y.port && x.ready === y.ready && x.serving === y.serving && x.terminating === y.terminating && x.nodeName === y.nodeName && x.zone === y.zone;
  });
}
