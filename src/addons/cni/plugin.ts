/**
 * The CNI plugin contract as the kubelet's runtime calls it (CNI spec 1.0: ADD, DEL, CHECK), and KubeLab's one
 * implementation, `HostLocalBridge` — what kind's default network does on a node: a bridge with one interface per pod
 * sandbox and the `host-local` IPAM plugin handing out addresses of the node's podCIDR (gateway = the range's first
 * address).
 *
 * Contract:
 * - `add(containerId, args)` attaches the sandbox and returns its result (`ips[0].address` is `<ip>/<prefix>`); it
 *   is idempotent for the same container id (a retried sandbox start gets the same address) and throws host-local's
 *   error when the range is exhausted.
 * - `del(containerId)` releases what ADD took; deleting an unknown id is a no-op, as a CNI DEL must be.
 * - `check(containerId)` says whether the sandbox is attached (CHECK).
 * - `restore(containerId, ip)` re-records an address a sandbox already holds after a kubelet restart (false when it
 *   is outside the range or held by another sandbox), so no address is ever handed out twice.
 * KubeLab uses the pod uid as the container id (one sandbox per pod at a time).
 */
import { formatIPv4 } from './cidr';
import { HostLocalIpam } from './host-local';

export const CNI_VERSION = '1.0.0';

export interface CniArgs {
  podName?: string;
  podNamespace?: string;
}

export interface CniResult {
  cniVersion: string;
  interfaces: { name: string; sandbox?: string }[];
  ips: { address: string; gateway: string; interface: number }[];
}

export interface CniPlugin {
  /** The network's name, as in a CNI config's `name`. */
  readonly name: string;
  /** The plugin type, as in a CNI config's `type`. */
  readonly type: string;
  add(containerId: string, args?: CniArgs): CniResult;
  del(containerId: string): void;
  check(containerId: string): boolean;
  restore(containerId: string, ip: string): boolean;
}

export class HostLocalBridge implements CniPlugin {
  readonly name = 'kubelab';
  readonly type = 'bridge';
  private readonly ipam: HostLocalIpam;

  /** `podCIDR`: the node's range; throws host-local's error when it is unusable. */
  constructor(podCIDR: string) {
    this.ipam = new HostLocalIpam(podCIDR);
  }

  add(containerId: string): CniResult {
    const ip = this.ipam.allocate(containerId);
    const s = this.ipam.subnet;
    return {
      cniVersion: CNI_VERSION,
      interfaces: [{ name: 'eth0', sandbox: `/var/run/netns/cni-${containerId}` }],
      ips: [{ address: `${ip}/${s.prefix}`, gateway: formatIPv4(s.base + 1), interface: 0 }],
    };
  }

  del(containerId: string): void {
    this.ipam.release(containerId);
  }

  check(containerId: string): boolean {
    return this.ipam.ipOf(containerId) !== undefined;
  }

  restore(containerId: string, ip: string): boolean {
    return this.ipam.reserve(containerId, ip);
  }
}

/** The address of an ADD result without its prefix length. */
export function resultIP(r: CniResult): string {
  return r.ips[0].address.split('/')[0];
}
