/**
 * `npm run bench -- proxy`: kube-proxy. Rule sync of the iptables and ipvs modes (a full sync of 1,000 and 10,000
 * Services × 10 endpoints, an incremental sync of one changed Service at 10,000, render time and size), then the
 * userspace mode's real forwarding on loopback against a direct connection (bulk throughput, small requests/s, added
 * latency per request). Targets: full iptables sync of 10,000 Services ≤ 1 s, incremental ≤ 20 ms; userspace ≥ 50 %
 * of direct throughput. Knob: BENCH_PROXY_PART=rules|userspace runs one part.
 */
import { benchRules } from './proxy-rules';
import { benchUserspace } from './proxy-userspace';

export async function run(): Promise<void> {
  const part = process.env.BENCH_PROXY_PART;
  if (!part || part === 'rules') await benchRules();
  if (!part || part === 'userspace') await benchUserspace();
}
