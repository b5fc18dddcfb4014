/**
 * kube-proxy's own metrics (upstream pkg/proxy/metrics), in the Prometheus text format its :10249/metrics serves:
 * sync durations as histograms (upstream's buckets: exponential from 1 ms, factor 2, 15 buckets), the last sync
 * timestamp, the rule count of the mode, and the change counters.
 */
const BUCKETS = Array.from({ length: 15 }, (_, i) => 0.001 * 2 ** i);

class Histogram {
  private readonly counts = new Array<number>(BUCKETS.length).fill(0);
  private sum = 0;
  private count = 0;

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.counts[i]++;
  }

  render(name: string, help: string): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    BUCKETS.forEach((b, i) => lines.push(`${name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class ProxyMetrics {
  readonly sync = new Histogram();
  readonly fullSync = new Histogram();
  readonly partialSync = new Histogram();
  lastSyncSeconds = 0;
  /** Seconds of the last sync (what `kubeproxy_sync_proxy_rules_duration_seconds` last observed). */
  lastDurationSeconds = 0;
  syncs = 0;

  record(durationSeconds: number, full: boolean, nowMs: number): void {
    this.sync.observe(durationSeconds);
    (full ? this.fullSync : this.partialSync).observe(durationSeconds);
    this.lastDurationSeconds = durationSeconds;
    this.lastSyncSeconds = nowMs / 1000;
    this.syncs++;
  }

  render(o: { mode: string; rules: number; serviceChanges: number; endpointChanges: number }): string {
    const gauge = (name: string, help: string, v: number, labels = '') => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labels} ${v}`;
    const counter = (name: string, help: string, v: number) => `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${v}`;
    const rulesMetric =
      o.mode === 'iptables'
        ? gauge('kubeproxy_sync_proxy_rules_iptables_total', '[ALPHA] Total number of iptables rules owned by kube-proxy', o.rules, '{table="nat"}')
        : o.mode === 'ipvs'
          ? gauge('kubeproxy_sync_proxy_rules_ipvs_total', '[KUBELAB] Virtual servers plus real servers programmed by kube-proxy', o.rules)
          : gauge('kubeproxy_sync_proxy_rules_userspace_listeners', '[KUBELAB] Loopback listeners held by kube-proxy (userspace mode)', o.rules);
    return [
      this.sync.render('kubeproxy_sync_proxy_rules_duration_seconds', '[ALPHA] SyncProxyRules latency in seconds'),
      this.fullSync.render('kubeproxy_sync_full_proxy_rules_duration_seconds', '[ALPHA] SyncProxyRules latency in seconds for full resyncs'),
      this.partialSync.render('kubeproxy_sync_partial_proxy_rules_duration_seconds', '[ALPHA] SyncProxyRules latency in seconds for partial resyncs'),
      gauge('kubeproxy_sync_proxy_rules_last_timestamp_seconds', '[ALPHA] The last time proxy rules were successfully synced', this.lastSyncSeconds),
      rulesMetric,
      counter('kubeproxy_sync_proxy_rules_service_changes_total', '[ALPHA] Cumulative proxy rules Service changes', o.serviceChanges),
      counter('kubeproxy_sync_proxy_rules_endpoint_changes_total', '[ALPHA] Cumulative proxy rules Endpoint changes', o.endpointChanges),
      '',
    ].join('\n');
  }
}
