/**
 * kube-proxy rule models (iptables and ipvs modes), called from test/bench/proxy.bench.ts: `benchRules()` emits,
 * per mode, the full-sync time of 1,000 and 10,000 ClusterIP Services × 10 ready endpoints (every tenth one a
 * NodePort), the incremental sync time after one Service's endpoints change at 10,000 (median and p99 of
 * BENCH_PROXY_INCREMENTAL syncs, default 200), render() time (first, and after one more change) and size, and
 * ruleCount.
 * Targets: full sync of 10k ≤ 1,000 ms; incremental ≤ 20 ms.
 */
import { performance } from 'node:perf_hooks';
import { IptablesMode } from '../../src/proxy/iptables';
import { IpvsMode } from '../../src/proxy/ipvs';
import type { EndpointInfo, ProxyMode, ProxyNode, ProxyState, ServicePortInfo } from '../../src/proxy/types';
import { emit, line, median, percentile, progress } from './util';
import { servicePort } from '../helpers/proxy-state';

const BENCH = 'proxy';
const ENDPOINTS = 10;
const INCREMENTAL = Number(process.env.BENCH_PROXY_INCREMENTAL) > 0 ? Number(process.env.BENCH_PROXY_INCREMENTAL) : 200;
const NODE: ProxyNode = { nodeName: 'node-1', nodeIP: '172.18.0.2', clusterCIDR: '10.244.0.0/16' };

const ip = (base: number, n: number): string => `${base}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

function endpointsFor(i: number, generation: number): EndpointInfo[] {
  const out: EndpointInfo[] = [];
  for (let e = 0; e < ENDPOINTS; e++) {
    const n = (i * ENDPOINTS + e + generation * 7919) % 0xfffff;
    out.push({ ip: ip(10, n), port: 8080, ready: true, serving: true, terminating: false, nodeName: `node-${e % 3}` });
  }
  return out;
}

function makeState(count: number): { services: Map<string, ServicePortInfo>; endpoints: Map<string, EndpointInfo[]> } {
  const services = new Map<string, ServicePortInfo>();
  const endpoints = new Map<string, EndpointInfo[]>();
  for (let i = 0; i < count; i++) {
    const key = `ns-${i % 50}/svc-${i}:http`;
    const nodePort = i % 10 === 0 ? 30000 + (i / 10) : 0;
    services.set(key, servicePort(`ns-${i % 50}`, `svc-${i}`, 'http', { type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP: ip(172, 0x100000 + i), nodePort }));
    endpoints.set(key, endpointsFor(i, 0));
  }
  return { services, endpoints };
}

const modes: { name: string; make: () => ProxyMode }[] = [
  { name: 'iptables', make: () => new IptablesMode(NODE) },
  { name: 'ipvs', make: () => new IpvsMode(NODE) },
];

async function fullSync(make: () => ProxyMode, state: ProxyState): Promise<{ mode: ProxyMode; ms: number }> {
  const mode = make();
  const t0 = performance.now();
  await mode.sync({ state });
  return { mode, ms: performance.now() - t0 };
}

export async function benchRules(): Promise<void> {
  const small = makeState(1000);
  const large = makeState(10_000);
  for (const m of modes) {
    progress(`proxy rules: ${m.name}`);
    // One warm-up run so the JIT has seen the code paths.
    await (await fullSync(m.make, small)).mode.dispose();
    const s1k = await fullSync(m.make, small);
    emit(line(BENCH, `${m.name}_full_sync_1k_services_ms`, s1k.ms, 'ms', 'lower'));
    await s1k.mode.dispose();
    const s10k = await fullSync(m.make, large);
    emit(line(BENCH, `${m.name}_full_sync_10k_services_ms`, s10k.ms, 'ms', 'lower'));
    const mode = s10k.mode;

    const samples: number[] = [];
    const keys = [...large.services.keys()];
    for (let r = 0; r < INCREMENTAL; r++) {
      const i = (r * 7877) % keys.length;
      large.endpoints.set(keys[i], endpointsFor(i, r + 1));
      const t0 = performance.now();
      await mode.sync({ state: large, changed: new Set([keys[i]]) });
      samples.push(performance.now() - t0);
    }
    emit(line(BENCH, `${m.name}_incremental_sync_10k_median_ms`, median(samples), 'ms', 'lower'));
    emit(line(BENCH, `${m.name}_incremental_sync_10k_p99_ms`, percentile(samples, 99), 'ms', 'lower'));

    const t0 = performance.now();
    const text = mode.render();
    emit(line(BENCH, `${m.name}_render_10k_ms`, performance.now() - t0, 'ms', 'lower'));
    // After one more service changes, only its text is rewritten (the rest is cached per service port).
    large.endpoints.set(keys[0], endpointsFor(0, INCREMENTAL + 1));
    await mode.sync({ state: large, changed: new Set([keys[0]]) });
    const t1 = performance.now();
    mode.render();
    emit(line(BENCH, `${m.name}_render_10k_after_one_change_ms`, performance.now() - t1, 'ms', 'lower'));
    emit(line(BENCH, `${m.name}_render_10k_mb`, Buffer.byteLength(text) / 2 ** 20, 'MB', 'lower'));
    emit(line(BENCH, `${m.name}_rule_count_10k`, mode.ruleCount(), 'rules', 'lower'));
    await mode.dispose();
  }
}
