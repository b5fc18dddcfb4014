/**
 * The networking part of a ClusterConfig: kube-proxy's mode and sync periods, and the DNS and ingress add-ons'
 * loopback ports. YAML:
 *
 *   kubeProxy: { mode: iptables | ipvs | userspace, ipvsScheduler: rr, minSyncPeriod: 1s, syncPeriod: 30s }
 *   addons: { dns: { enabled: true, port: 10053 }, ingress: { enabled: true, port: 10080 } }
 *
 * Defaults: upstream's (iptables, rr, 1s, 30s); DNS on 127.0.0.1:10053 and ingress on 127.0.0.1:10080 (unprivileged
 * stand-ins for 53 and 80); port 0 picks a free port. Durations are Go durations (`500ms`, `1s`, `2m`).
 */
import { parseGoDuration as goParseDuration } from '../../base/go-duration';
import type { Obj, Reader, Seg } from './reader';
import { show } from './reader';

export const PROXY_MODES = ['iptables', 'ipvs', 'userspace'] as const;
export type ProxyModeSetting = (typeof PROXY_MODES)[number];
export const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq'] as const;
export const DEFAULT_DNS_PORT = 10053;
export const DEFAULT_INGRESS_PORT = 10080;

export interface KubeProxySettings {
  mode: ProxyModeSetting;
  ipvsScheduler: string;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
}

export interface AddonSettings {
  dns: { enabled: boolean; port: number };
  ingress: { enabled: boolean; port: number };
}

export function defaultKubeProxy(): KubeProxySettings {
  return { mode: 'iptables', ipvsScheduler: 'rr', minSyncPeriodMs: 1000, syncPeriodMs: 30_000 };
}

export function defaultAddons(): AddonSettings {
  return { dns: { enabled: true, port: DEFAULT_DNS_PORT }, ingress: { enabled: true, port: DEFAULT_INGRESS_PORT } };
}

/** A Go duration such as `1s`, `500ms`, `1m30s` → ms; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  try {
    return goParseDuration(text);
  } catch {
    return undefined;
  }
}

export function duration(r: Reader, v: unknown, path: readonly Seg[], fallback: number, min: number): number {
  if (v === undefined || v === null) return fallback;
  const ms = typeof v === 'string' ? parseGoDuration(v) : undefined;
  if (ms === undefined) {
    r.add(path, `expected a duration such as "1s" or "500ms", got ${show(v)}`);
    return fallback;
  }
  if (ms < min) {
    r.add(path, `must be at least ${min}ms, not ${JSON.stringify(v)}`);
    return fallback;
  }
  return ms;
}

function oneOf<T extends string>(r: Reader, v: unknown, path: readonly Seg[], allowed: readonly T[], fallback: T): T {
  const s = r.string(v, path);
  if (s === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(s)) {
    r.add(path, `Unsupported value: ${JSON.stringify(s)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`);
    return fallback;
  }
  return s as T;
}

export function readKubeProxy(r: Reader, o: Obj): KubeProxySettings {
  const d = defaultKubeProxy();
  const k = r.object(o.kubeProxy, ['kubeProxy'], ['mode', 'ipvsScheduler', 'minSyncPeriod', 'syncPeriod']);
  if (!k) return d;
  const minSyncPeriodMs = duration(r, k.minSyncPeriod, ['kubeProxy', 'minSyncPeriod'], d.minSyncPeriodMs, 0);
  const syncPeriodMs = duration(r, k.syncPeriod, ['kubeProxy', 'syncPeriod'], d.syncPeriodMs, 1);
  if (syncPeriodMs < minSyncPeriodMs) r.add(['kubeProxy', 'syncPeriod'], `must be greater than or equal to kubeProxy.minSyncPeriod`);
  return {
    mode: oneOf(r, k.mode, ['kubeProxy', 'mode'], PROXY_MODES, d.mode),
    ipvsScheduler: oneOf(r, k.ipvsScheduler, ['kubeProxy', 'ipvsScheduler'], IPVS_SCHEDULERS, 'rr'),
    minSyncPeriodMs,
    syncPeriodMs,
  };
}

export function readAddons(r: Reader, o: Obj): AddonSettings {
  const d = defaultAddons();
  const a = r.object(o.addons, ['addons'], ['dns', 'ingress']);
  if (!a) return d;
  const one = (name: 'dns' | 'ingress') => {
    const x = r.object(a[name], ['addons', name], ['enabled', 'port']);
    if (!x) return d[name];
    let enabled = d[name].enabled;
    if (x.enabled !== undefined && x.enabled !== null) {
      if (typeof x.enabled === 'boolean') enabled = x.enabled;
      else r.add(['addons', name, 'enabled'], `expected true or false, got ${show(x.enabled)}`);
    }
    return { enabled, port: r.int(x.port, ['addons', name, 'port'], 0, 65535) ?? d[name].port };
  };
  return { dns: one('dns'), ingress: one('ingress') };
}
