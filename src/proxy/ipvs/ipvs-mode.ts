/**
 * kube-proxy's ipvs mode as a model: the IPVS virtual-server table (and the ipsets) kube-proxy 1.32 would program on
 * this node for the state (see virtual-servers.ts), rendered as `ipvsadm -Ln` (render) and `ipset save`
 * (renderIpsets).
 *
 * Incremental like the iptables mode: each service port's virtual servers are built once and kept; a sync rebuilds
 * only `req.changed` (every key on a full resync), so partial and full syncs end in the same table. When two ports
 * claim the same virtual server, the smallest key's wins (one virtual server per address in IPVS). `ruleCount()` is
 * virtual servers + real servers, kept incrementally. Graceful termination (a removed real server kept with weight
 * 0 until its connections drain) is not modelled: there are no connections, so it would be removed at once.
 * The iptables rules ipvs mode also writes (KUBE-SERVICES matching the ipsets, masquerading) are not rendered.
 */
import { cidrContains, tryParseCidr, tryParseIPv4 } from '../../addons/cni/cidr';
import type { Logger } from '../../base/logger';
import { checkPort } from '../checked-port';
import { FrontendIndex, frontendKey } from '../frontend-index';
import type { ProxyMode, ProxyNode, Protocol, SyncRequest, SyncStats } from '../types';
import { renderIpsetSave } from './ipsets';
import { renderIpvsadm } from './ipvsadm';
import { ipvsScheduler } from './scheduler';
import { buildIpvsProgram, type IpvsContext, type IpvsProgram, type VirtualServer } from './virtual-servers';

export interface IpvsModeOptions {
  /** kube-proxy --masquerade-all (affects only the iptables rules ipvs mode writes, which are not modelled). */
  masqueradeAll?: boolean;
  /** The IPVS scheduler (--ipvs-scheduler): rr (default), wrr, lc, wlc, lblc, lblcr, sh, dh, sed, nq. */
  scheduler?: string;
  logger?: Logger;
}

const sourceContains = (cidr: string, ip: number): boolean => {
  const c = tryParseCidr(cidr);
  return c !== undefined && cidrContains(c, ip);
};

export class IpvsMode implements ProxyMode {
  readonly name = 'ipvs' as const;
  private readonly programs = new Map<string, IpvsProgram>();
  private readonly servers = new FrontendIndex<VirtualServer>((v) => 1 + v.reals.length);
  private readonly ctx: IpvsContext;
  private readonly logger: Logger | undefined;
  /** The last renders, until a sync touches something. */
  private rendered: { table?: string; ipsets?: string } = {};
  private disposed = false;

  /** Throws kube-proxy's configuration error for an unsupported scheduler. */
  constructor(node: ProxyNode, o: IpvsModeOptions = {}) {
    this.ctx = {
      nodeName: node.nodeName,
      nodeIP: node.nodeIP,
      nodeIPNumber: tryParseIPv4(node.nodeIP),
      scheduler: ipvsScheduler(o.scheduler),
    };
    this.logger = o.logger;
  }

  async sync(req: SyncRequest): Promise<SyncStats> {
    if (this.disposed) throw new Error('the ipvs proxy mode is disposed');
    const started = Date.now();
    const { services, endpoints } = req.state;
    const keys = req.changed ? [...req.changed] : [...new Set([...this.programs.keys(), ...services.keys()])];
    const problems: string[] = [];
    let skipped = 0;
    if (keys.length) this.rendered = {};
    for (const key of keys) {
      const svc = services.get(key);
      const r = svc ? checkPort(svc, endpoints.get(key)) : undefined;
      if (r && !r.ok) {
        problems.push(r.problem);
        skipped++;
      }
      if (!r?.ok) {
        this.programs.delete(key);
        this.servers.replace(key, []);
        continue;
      }
      problems.push(...r.problems);
      const program = buildIpvsProgram(r.port, this.ctx, sourceContains);
      this.programs.set(key, program);
      this.servers.replace(key, program.virtualServers);
    }
    this.logger?.debug(`ipvs sync: ${keys.length} service ports in ${Date.now() - started} ms`);
    return { services: this.programs.size, touched: keys.length, skipped, problems };
  }

  backends(ip: string, port: number, protocol: Protocol): readonly string[] | undefined {
    return this.servers.get(frontendKey(protocol, ip, port))?.reals;
  }

  /** `ipvsadm -Ln`. */
  render(): string {
    return (this.rendered.table ??= renderIpvsadm([...this.servers.winners()].map(([, v]) => v)));
  }

  /** `ipset save` of kube-proxy's ipsets. */
  renderIpsets(): string {
    return (this.rendered.ipsets ??= renderIpsetSave([...this.programs.values()].flatMap((p) => p.ipsets)));
  }

  ruleCount(): number {
    return this.servers.total();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.programs.clear();
    this.servers.clear();
    this.rendered = {};
  }
}
