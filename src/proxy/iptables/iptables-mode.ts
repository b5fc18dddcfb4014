/**
 * kube-proxy's iptables mode as a model: per service port, the chains and rules kube-proxy 1.32 would program on
 * this node (service-plan.ts decides, service-rules.ts writes), rendered as `iptables-save` text (render.ts).
 *
 * Incremental: a sync re-plans only `req.changed` (every key on a full resync) and keeps every other port's plan, so
 * a partial sync leaves exactly what a full one would. Planning hashes the chain names (cached per port and
 * endpoint), counts the nat rules and records where each frontend leads; the rule text of a port is written on the
 * first render after it changed and kept, so `sync` never writes text and `render()` rewrites only changed ports.
 * The one global input to rule text, large-cluster mode (more than 1,000 endpoints over all programmed ports:
 * endpoint rules lose their comments), is tracked incrementally; when it flips, every port is re-planned.
 * `ruleCount()` is upstream's `sync_proxy_rules_iptables_total{table="nat"}`: the rules kube-proxy writes into its
 * own nat chains (not the three jumps from the built-in chains).
 */
import { cidrContains, formatCidr, tryParseCidr, tryParseIPv4 } from '../../addons/cni/cidr';
import type { Logger } from '../../base/logger';
import type { ProxyMode, ProxyNode, ProxyState, Protocol, SyncRequest, SyncStats } from '../types';
import { ServiceChains } from './chain-names';
import { checkPort, type CheckedPort } from '../checked-port';
import { FrontendIndex, frontendKey } from '../frontend-index';
import { FIXED_NAT_RULES, renderIptablesSave } from './render';
import { planService, type IptablesContext, type ServicePlan } from './service-plan';
import { writeServiceRules, type ServiceRules } from './service-rules';

/** Upstream largeClusterEndpointsThreshold: above this many endpoints, endpoint rules carry no comments. */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

export interface IptablesModeOptions {
  /** kube-proxy --masquerade-all: SNAT all cluster-IP traffic. */
  masqueradeAll?: boolean;
  logger?: Logger;
}

const sourceContains = (cidr: string, ip: number): boolean => {
  const c = tryParseCidr(cidr);
  return c !== undefined && cidrContains(c, ip);
};

export class IptablesMode implements ProxyMode {
  readonly name = 'iptables' as const;
  private readonly programs = new Map<string, ServicePlan>();
  /** Rule text per port, written on first render after the port changed. */
  private readonly text = new Map<string, ServiceRules>();
  private readonly frontends = new FrontendIndex<readonly string[]>();
  private readonly ctx: IptablesContext;
  private readonly logger: Logger | undefined;
  /** The last render, until a sync touches something. */
  private rendered: string | undefined;
  private natRules = FIXED_NAT_RULES;
  private totalEndpoints = 0;
  private disposed = false;

  constructor(node: ProxyNode, o: IptablesModeOptions = {}) {
    const cidr = node.clusterCIDR ? tryParseCidr(node.clusterCIDR.trim()) : undefined;
    this.ctx = {
      nodeName: node.nodeName,
      nodeIP: node.nodeIP,
      nodeIPNumber: tryParseIPv4(node.nodeIP),
      clusterCIDR: cidr ? formatCidr(cidr) : '',
      masqueradeAll: o.masqueradeAll ?? false,
      largeClusterMode: false,
    };
    this.logger = o.logger;
  }

  async sync(req: SyncRequest): Promise<SyncStats> {
    if (this.disposed) throw new Error('the iptables proxy mode is disposed');
    const started = Date.now();
    const state = req.state;
    const full = !req.changed;
    const checked = this.check(state, req.changed ?? union(this.programs.keys(), state.services.keys()));
    // Large-cluster mode depends on all ports' endpoint counts; a flip changes every port's rule text.
    let total = full ? 0 : this.totalEndpoints;
    for (const [key, c] of checked.ports) total += (c?.endpoints.length ?? 0) - (full ? 0 : (this.programs.get(key)?.endpointCount ?? 0));
    const large = total > LARGE_CLUSTER_ENDPOINTS;
    if (large !== this.ctx.largeClusterMode) {
      this.ctx.largeClusterMode = large;
      if (!full) {
        const rest = [...union(this.programs.keys(), state.services.keys())].filter((k) => !checked.ports.has(k));
        const more = this.check(state, rest);
        for (const [k, c] of more.ports) checked.ports.set(k, c);
        checked.problems.push(...more.problems);
        checked.skipped += more.skipped;
      }
    }
    if (checked.ports.size) this.rendered = undefined;
    for (const [key, port] of checked.ports) this.apply(key, port);
    this.logger?.debug(`iptables sync: ${checked.ports.size} service ports in ${Date.now() - started} ms`);
    return { services: this.programs.size, touched: checked.ports.size, skipped: checked.skipped, problems: checked.problems };
  }

  backends(ip: string, port: number, protocol: Protocol): readonly string[] | undefined {
    return this.frontends.get(frontendKey(protocol, ip, port));
  }

  render(): string {
    if (this.rendered !== undefined) return this.rendered;
    const keys = [...this.programs.keys()].sort();
    return (this.rendered = renderIptablesSave(
      keys.map((k) => {
        let rules = this.text.get(k);
        if (!rules) this.text.set(k, (rules = writeServiceRules(this.programs.get(k)!, this.ctx)));
        return rules;
      }),
    ));
  }

  ruleCount(): number {
    return this.natRules;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.programs.clear();
    this.text.clear();
    this.rendered = undefined;
    this.frontends.clear();
  }

  private check(state: ProxyState, keys: Iterable<string>) {
    const ports = new Map<string, CheckedPort | undefined>();
    const problems: string[] = [];
    let skipped = 0;
    for (const key of keys) {
      const svc = state.services.get(key);
      if (!svc) {
        ports.set(key, undefined);
        continue;
      }
      const r = checkPort(svc, state.endpoints.get(key));
      if (r.ok) {
        ports.set(key, r.port);
        problems.push(...r.problems);
      } else {
        ports.set(key, undefined);
        problems.push(r.problem);
        skipped++;
      }
    }
    return { ports, problems, skipped };
  }

  private apply(key: string, port: CheckedPort | undefined): void {
    const old = this.programs.get(key);
    if (old) {
      this.natRules -= old.natRuleCount;
      this.totalEndpoints -= old.endpointCount;
      this.programs.delete(key);
      this.text.delete(key);
    }
    if (!port) {
      this.frontends.replace(key, []);
      return;
    }
    const chains = old && old.chains.protocolLower === port.proto ? old.chains : new ServiceChains(key, port.proto);
    const program = planService(port, this.ctx, chains, sourceContains);
    if (chains.cachedCount > port.endpoints.length) chains.prune(new Set(port.endpoints.map((e) => `${e.ip}:${e.port}`)));
    this.programs.set(key, program);
    this.natRules += program.natRuleCount;
    this.totalEndpoints += program.endpointCount;
    this.frontends.replace(key, program.frontends);
  }
}

function* union(a: Iterable<string>, b: Iterable<string>): IterableIterator<string> {
  const seen = new Set<string>();
  for (const k of a) {
    seen.add(k);
    yield k;
  }
  for (const k of b) if (!seen.has(k)) yield k;
}
