/**
 * kube-proxy for one node (identity `system:kube-proxy`): watches Services and EndpointSlices through the API
 * server, folds their changes into a `ProxyChanges` state, and has its mode program them — a partial sync of the
 * changed service ports at most every `minSyncPeriod` (upstream default 1 s), and a full resync every `syncPeriod`
 * (default 30 s) in the ipvs and userspace modes; the iptables mode, like upstream's since partial syncs (its
 * BoundedFrequencyRunner's maxInterval is an hour; the syncPeriod only paces its canary check, which nothing in the
 * simulated kernel can trip), resyncs in full once an hour. A failed sync is retried in full after `syncPeriod`.
 * /healthz and /livez follow upstream's proxier health server: unhealthy once a queued change has waited twice the
 * syncPeriod without a successful sync. It serves what real kube-proxy serves on its ports, reached through the API
 * server's node proxy (`/api/v1/nodes/<node>:10249/proxy/<path>`): `:10249` /metrics, /proxyMode, /configz and
 * KubeLab's /rules (the mode's view: `iptables-save`, `ipvsadm -Ln` or the userspace listener table); `:10256`
 * /healthz and /livez.
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import { InProcessTransport } from '../client/in-process';
import { SharedInformer, deletedObject, type CachedObject } from '../client/informers';
import { ProxyChanges } from './change-tracker';
import type { KernelNodePorts } from './kernel-nodeports';
import { ProxyMetrics } from './metrics';
import { SyncRunner } from './sync-runner';
import type { ProxyMode, ProxyNode } from './types';

export const PROXY_USER = { name: 'system:kube-proxy', groups: ['system:authenticated'] };
export const METRICS_PORT = 10249;
export const HEALTHZ_PORT = 10256;

export interface KubeProxyOptions {
  node: ProxyNode;
  mode: ProxyMode;
  handle(req: ApiRequest): Promise<ApiResponse>;
  clock: Clock;
  logger: Logger;
  minSyncPeriodMs?: number;
  syncPeriodMs?: number;
  /** iptables/ipvs modes: the simulated kernel that carries NodePort traffic per the programmed rules. */
  kernel?: KernelNodePorts;
}

export interface ProxyHttpResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Upstream's iptables proxier passes a maxInterval of an hour to its BoundedFrequencyRunner. */
export const IPTABLES_RESYNC_MS = 60 * 60 * 1000;

/**
 * Go's time.Time String() as `%q` prints it in the health answers: `2006-01-02 15:04:05.999999999 +0000 UTC`
 * (fraction without trailing zeros) and the monotonic reading `m=+S.NNNNNNNNN` (seconds since `originMs`).
 */
export function goTimeString(ms: number, originMs: number): string {
  if (!ms) return '0001-01-01 00:00:00 +0000 UTC'; // Go's zero time (never synced), which has no monotonic reading
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = d.getUTCMilliseconds() ? `.${p(d.getUTCMilliseconds(), 3).replace(/0+$/, '')}` : '';
  const date = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac}`;
  return `${date} +0000 UTC m=+${(Math.max(0, ms - originMs) / 1000).toFixed(9)}`;
}

export class KubeProxy {
  private readonly changes = new ProxyChanges();
  private readonly metrics = new ProxyMetrics();
  private readonly runner: SyncRunner;
  private informers: SharedInformer[] = [];
  private started = false;
  private lastSyncMs = 0;
  private fullNext = true;
  /** When the oldest change not yet programmed was queued (0: none), as upstream's oldestPendingQueued. */
  private oldestPendingMs = 0;
  /** When a change was first queued while a sync ran (0: none). */
  private queuedDuringSyncMs = 0;
  private syncing = false;
  private retryWanted = false;
  private readonly startedMs: number;

  constructor(private readonly o: KubeProxyOptions) {
    const periodMs = o.mode.name === 'iptables' ? IPTABLES_RESYNC_MS : this.syncPeriodMs;
    this.runner = new SyncRunner(o.clock, (periodic) => this.sync(periodic), o.minSyncPeriodMs ?? 1000, periodMs, (e) =>
      o.logger.error(`sync failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    this.startedMs = o.clock.now();
  }

  private get syncPeriodMs(): number {
    return this.o.syncPeriodMs ?? 30_000;
  }

  /** A change to program arrived (upstream's QueuedUpdate). */
  private queued(): void {
    const now = this.o.clock.now();
    if (this.syncing) this.queuedDuringSyncMs ||= now;
    else this.oldestPendingMs ||= now;
  }

  get running(): boolean {
    return this.started;
  }

  get mode(): ProxyMode {
    return this.o.mode;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const transport = new InProcessTransport({ handle: this.o.handle, user: PROXY_USER, userAgent: 'kube-proxy/v1.32.0 (linux/amd64) kubelab' });
    const mk = (group: string, version: string, resource: string, labelSelector: string) =>
      new SharedInformer({ transport, resource: { group, version, resource }, labelSelector, clock: this.o.clock, logger: this.o.logger.child(`informer ${resource}`) });
    const services = mk('', 'v1', 'services', '!service.kubernetes.io/service-proxy-name');
    const slices = mk('discovery.k8s.io', 'v1', 'endpointslices', '!service.kubernetes.io/headless');
    const onChange = () => {
      if (!this.changes.hasChanges()) return;
      this.queued();
      this.runner.request();
    };
    services.addEventHandler({
      onAdd: (o: CachedObject) => (this.changes.setService(o), onChange()),
      onUpdate: (_: CachedObject, n: CachedObject) => (this.changes.setService(n), onChange()),
      onDelete: (o) => (this.changes.deleteService(deletedObject(o)), onChange()),
    });
    slices.addEventHandler({
      onAdd: (o: CachedObject) => (this.changes.setSlice(o), onChange()),
      onUpdate: (_: CachedObject, n: CachedObject) => (this.changes.setSlice(n), onChange()),
      onDelete: (o) => (this.changes.deleteSlice(deletedObject(o)), onChange()),
    });
    this.informers = [services, slices];
    for (const i of this.informers) i.run();
    await Promise.all(this.informers.map((i) => i.waitForSync()));
    this.fullNext = true;
    await this.sync(true).catch((e: unknown) => this.o.logger.error(`sync failed: ${e instanceof Error ? e.message : String(e)}`));
    this.runner.start(true);
    if (this.retryWanted) this.runner.retryAfter(this.syncPeriodMs);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const i of this.informers) i.stop();
    this.informers = [];
    await this.runner.stop();
  }

  /** Stops for good: the mode releases its listeners. */
  async dispose(): Promise<void> {
    await this.stop();
    this.o.kernel?.close();
    await this.o.mode.dispose();
  }

  /** No sync running or pending (tests). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /**
   * One sync: partial (the changed service ports) unless a full one is due (the first, a periodic one, or the one
   * after a failure). A failure keeps the changes pending for health, and asks for a full sync after syncPeriod.
   */
  private async sync(periodic: boolean): Promise<void> {
    if (!this.started) return;
    const full = this.fullNext || periodic;
    this.fullNext = false;
    const changed = this.changes.take();
    const t0 = performance.now();
    this.retryWanted = false;
    this.syncing = true;
    this.queuedDuringSyncMs = 0;
    try {
      const stats = await this.o.mode.sync({ state: this.changes.state, ...(full ? {} : { changed }) });
      const seconds = (performance.now() - t0) / 1000;
      this.lastSyncMs = this.o.clock.now();
      this.metrics.record(seconds, full, this.lastSyncMs);
      this.oldestPendingMs = this.queuedDuringSyncMs;
      for (const p of stats.problems) this.o.logger.warn(p);
    } catch (e) {
      this.fullNext = true;
      if (this.queuedDuringSyncMs) this.oldestPendingMs ||= this.queuedDuringSyncMs;
      this.retry();
      throw e;
    } finally {
      this.syncing = false;
    }
    const problems = (await this.o.kernel?.update(this.changes.state)) ?? [];
    for (const p of problems) this.o.logger.warn(p);
    // A NodePort the simulated kernel could not bind is tried again after syncPeriod, not only at the next change.
    if (problems.length) this.retry();
  }

  /** Another sync after syncPeriod (the runner is started after the first sync: remembered until then). */
  private retry(): void {
    this.retryWanted = true;
    this.runner.retryAfter(this.syncPeriodMs);
  }

  /** What kube-proxy's own HTTP ports answer (`port` 10249 or 10256); undefined: nothing listens there. */
  http(port: number, path: string): ProxyHttpResponse | undefined {
    const p = path.replace(/^\/+/, '/').split('?')[0] || '/';
    const text = (status: number, body: string): ProxyHttpResponse => ({ status, contentType: 'text/plain; charset=utf-8', body });
    if (!this.started) return undefined;
    if (port === HEALTHZ_PORT) {
      if (p !== '/healthz' && p !== '/livez') return text(404, '404 page not found\n');
      // Upstream's proxier health server: healthy while nothing queued has waited 2 × syncPeriod; a healthy answer
      // gives the current time as lastUpdated (its compatibility rule); /livez leaves nodeEligible out.
      const now = this.o.clock.now();
      const healthy = !this.oldestPendingMs || now - this.oldestPendingMs < 2 * this.syncPeriodMs;
      const t = (ms: number) => JSON.stringify(goTimeString(ms, this.startedMs));
      const last = healthy ? now : this.lastSyncMs;
      const body = `{"lastUpdated": ${t(last)},"currentTime": ${t(now)}${p === '/healthz' ? ', "nodeEligible": true' : ''}}`;
      return { status: healthy ? 200 : 503, contentType: 'application/json', body };
    }
    if (port !== METRICS_PORT) return undefined;
    switch (p) {
      case '/proxyMode':
        return text(200, this.o.mode.name);
      case '/metrics':
        return {
          status: 200,
          contentType: 'text/plain; version=0.0.4; charset=utf-8',
          body: this.metrics.render({ mode: this.o.mode.name, rules: this.o.mode.ruleCount(), serviceChanges: this.changes.serviceChanges, endpointChanges: this.changes.endpointChanges }),
        };
      case '/configz':
        return {
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            kubeproxy_config: {
              kind: 'KubeProxyConfiguration',
              apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
              mode: this.o.mode.name,
              clusterCIDR: this.o.node.clusterCIDR,
              hostnameOverride: this.o.node.nodeName,
              bindAddress: '0.0.0.0',
              metricsBindAddress: `127.0.0.1:${METRICS_PORT}`,
              healthzBindAddress: `0.0.0.0:${HEALTHZ_PORT}`,
              iptables: { minSyncPeriod: `${(this.o.minSyncPeriodMs ?? 1000) / 1000}s`, syncPeriod: `${(this.o.syncPeriodMs ?? 30_000) / 1000}s` },
            },
          }),
        };
      case '/rules':
        return text(200, this.o.mode.render());
      default:
        return text(404, '404 page not found\n');
    }
  }
}
