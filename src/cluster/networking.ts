/**
 * The cluster's networking, built from the ClusterConfig: the pod network data plane every runtime attaches its
 * listening containers to, the machine's shared loopback port table, one kube-proxy per node (the kube-proxy
 * DaemonSet's pod on it) in the configured mode — in the iptables and ipvs modes with the simulated kernel that carries
 * NodePort traffic per the rules it programs —, and the add-ons started after the nodes — cluster DNS (CoreDNS's
 * objects in kube-system, a real DNS server on 127.0.0.1) and the ingress controller (IngressClass `kubelab`, HTTP on
 * 127.0.0.1). An add-on whose port is taken does not stop the cluster: it stays off and `startAddons` says why.
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import { PodNetwork } from '../addons/cni/pod-network';
import { ClusterDns, corednsManifests, dnsServiceIP } from '../addons/dns';
import { IngressController, INGRESS_CONTROLLER_USER, ingressManifests } from '../addons/ingress';
import { InProcessTransport } from '../client/in-process';
import type { ApiClient } from '../controllers/framework';
import { KernelNodePorts } from '../proxy/kernel-nodeports';
import { KubeProxy } from '../proxy/kube-proxy';
import { kubeProxyManifests } from '../proxy/manifests';
import { createProxyMode } from '../proxy/modes';
import { HostPorts } from '../proxy/userspace';
import { ensureAddonObjects } from './addon-objects';
import type { ClusterConfig, ResolvedNode } from './config';

export const COREDNS_USER = {
  name: 'system:serviceaccount:kube-system:coredns',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

export interface ClusterNetworkingOptions {
  config: ClusterConfig;
  handle(req: ApiRequest): Promise<ApiResponse>;
  clock: Clock;
  logger: Logger;
}

export interface AddonStatus {
  name: 'cluster DNS' | 'ingress controller';
  state: 'running' | 'off' | 'failed';
  /** 127.0.0.1:<port> while running; the reason when failed. */
  detail: string;
}

export class ClusterNetworking {
  readonly network = new PodNetwork();
  readonly hostPorts = new HostPorts();
  private dns: ClusterDns | undefined;
  private ingress: IngressController | undefined;
  private readonly addonState = new Map<AddonStatus['name'], AddonStatus>();

  constructor(private readonly o: ClusterNetworkingOptions) {}

  /** The kube-proxy of a node (not started). */
  proxyFor(node: ResolvedNode): KubeProxy {
    const k = this.o.config.kubeProxy;
    const logger = this.o.logger.child(`kube-proxy ${node.name}`);
    const proxyNode = { nodeName: node.name, nodeIP: node.internalIP, clusterCIDR: this.o.config.podCIDR };
    const mode = createProxyMode(k.mode, proxyNode, { network: this.network, hostPorts: this.hostPorts, clock: this.o.clock, logger, ipvsScheduler: k.ipvsScheduler });
    const kernel = k.mode === 'userspace' ? undefined : new KernelNodePorts({ mode, nodeIP: node.internalIP, hostPorts: this.hostPorts, network: this.network, clock: this.o.clock, logger });
    return new KubeProxy({ node: proxyNode, mode, kernel, handle: this.o.handle, clock: this.o.clock, logger, minSyncPeriodMs: k.minSyncPeriodMs, syncPeriodMs: k.syncPeriodMs });
  }

  /** The add-ons' objects, then DNS and ingress serving. Returns a line per add-on that could not start. */
  async startAddons(admin: ApiClient): Promise<string[]> {
    const cfg = this.o.config;
    const a = cfg.addons;
    await ensureAddonObjects(admin, [
      ...kubeProxyManifests({ mode: cfg.kubeProxy.mode, clusterCIDR: cfg.podCIDR, ipvsScheduler: cfg.kubeProxy.ipvsScheduler, minSyncPeriodMs: cfg.kubeProxy.minSyncPeriodMs, syncPeriodMs: cfg.kubeProxy.syncPeriodMs }),
      ...(a.dns.enabled ? corednsManifests({ clusterIP: dnsServiceIP(cfg.serviceCIDR), dnsPort: a.dns.port }) : []),
      ...(a.ingress.enabled ? ingressManifests() : []),
    ] as Record<string, unknown>[]);
    const failures: string[] = [];
    const start = async (name: AddonStatus['name'], enabled: boolean, run: () => Promise<number>) => {
      if (!enabled) return void this.addonState.set(name, { name, state: 'off', detail: 'disabled in the cluster config' });
      try {
        const port = await run();
        this.addonState.set(name, { name, state: 'running', detail: `127.0.0.1:${port}` });
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${name === 'cluster DNS' ? a.dns.port : a.ingress.port} on 127.0.0.1 is already in use` : (e as Error).message;
        this.addonState.set(name, { name, state: 'failed', detail: why });
        failures.push(`${name} is off: ${why} (choose another port with ${name === 'cluster DNS' ? '--dns-port' : '--ingress-port'})`);
        this.o.logger.error(`${name} failed to start: ${why}`);
      }
    };
    await start('cluster DNS', a.dns.enabled, async () => {
      const dns = new ClusterDns({
        transport: new InProcessTransport({ handle: this.o.handle, user: COREDNS_USER, userAgent: 'coredns/1.11.3 kubelab' }),
        logger: this.o.logger.child('coredns'),
        clock: this.o.clock,
        nameserverIP: dnsServiceIP(cfg.serviceCIDR),
      });
      this.dns = dns;
      await dns.start({ port: a.dns.port });
      return dns.port;
    });
    await start('ingress controller', a.ingress.enabled, async () => {
      const ing = new IngressController({
        transport: new InProcessTransport({ handle: this.o.handle, user: INGRESS_CONTROLLER_USER, userAgent: 'kubelab-ingress-controller' }),
        network: this.network,
        logger: this.o.logger.child('ingress'),
        clock: this.o.clock,
        port: a.ingress.port,
      });
      this.ingress = ing;
      await ing.start();
      return ing.port;
    });
    return failures;
  }

  addons(): AddonStatus[] {
    return [...this.addonState.values()];
  }

  /** Where DNS and ingress listen (0 when not serving). */
  ports(): { dns: number; ingress: number } {
    return { dns: this.dns?.port ?? 0, ingress: this.ingress?.port ?? 0 };
  }

  async close(): Promise<void> {
    await this.ingress?.stop().catch(() => undefined);
    await this.dns?.stop().catch(() => undefined);
    this.ingress = undefined;
    this.dns = undefined;
  }
}
