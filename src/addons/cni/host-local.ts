/**
 * HostLocalIpam: the pod address allocator of one node, as the CNI `host-local` IPAM plugin does it with its
 * default range (subnet = the node's podCIDR, no rangeStart/rangeEnd/gateway configured). Pure, in memory, IPv4 only.
 *
 * - The range is network+1 … broadcast-1 (`10.244.3.1-10.244.3.254` for a /24); the gateway (network+1) is in it
 *   but never handed out, nor are the network and broadcast addresses.
 * - Allocation is host-local's round robin: the first free address after the last one handed out, wrapping to the
 *   start of the range (the last one handed out is tried last).
 * - A pod uid is the owner (host-local's container id): allocating again for the same uid returns its address
 *   (host-local refuses a duplicate allocation instead; here allocation is idempotent so a retried sandbox start is
 *   harmless). `release` frees it (a no-op for an unknown uid, as a CNI DEL must be).
 * - `reserve` re-records an address found in an existing pod's `status.podIP` after a restart; it returns false and
 *   changes nothing for an address outside the range, the network/gateway/broadcast address, or one held by another
 *   uid. It does not move the round-robin cursor.
 * - Errors use host-local's words: a full range throws `failed to allocate for range 0: no IP addresses available in
 *   range set: <start>-<end>`; a /31 or /32 throws `network <cidr> too small to allocate from`; host bits set throw
 *   `network has host bits set. For a subnet mask of length <n> the network address is <ip>`.
 */
import { cidrContains, formatCidr, formatIPv4, lastAddress, parseCidr, tryParseIPv4, type Ipv4Cidr } from './cidr';

export class HostLocalIpam {
  readonly subnet: Ipv4Cidr;
  private readonly start: number;
  private readonly end: number;
  private readonly gw: number;
  private readonly byUid = new Map<string, number>();
  private readonly byIp = new Map<number, string>();
  /** host-local's lastReservedIP: where the next search starts (after it). */
  private last: number | undefined;

  /** `cidr`: the node's podCIDR, e.g. `10.244.3.0/24`. Throws on an invalid, IPv6, too small or non-network CIDR. */
  constructor(cidr: string) {
    const subnet = parseCidr(cidr);
    const ipText = cidr.slice(0, cidr.indexOf('/'));
    if (tryParseIPv4(ipText) !== subnet.base) {
      throw new Error(`network has host bits set. For a subnet mask of length ${subnet.prefix} the network address is ${formatIPv4(subnet.base)}`);
    }
    if (subnet.prefix > 30) throw new Error(`network ${formatCidr(subnet)} too small to allocate from`);
    this.subnet = subnet;
    this.start = subnet.base + 1;
    this.end = lastAddress(subnet) - 1;
    this.gw = subnet.base + 1;
  }

  /** The gateway address (network+1), never handed to a pod. */
  get gateway(): string {
    return formatIPv4(this.gw);
  }

  /** The address of `podUid`: the one it already holds, else the next free one. Throws when the range is full. */
  allocate(podUid: string): string {
    const held = this.byUid.get(podUid);
    if (held !== undefined) return formatIPv4(held);
    const ip = this.nextFree();
    if (ip === undefined) {
      throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${formatIPv4(this.start)}-${formatIPv4(this.end)}`);
    }
    this.take(podUid, ip);
    this.last = ip;
    return formatIPv4(ip);
  }

  /** Frees the address of `podUid` (nothing if it holds none). */
  release(podUid: string): void {
    const ip = this.byUid.get(podUid);
    if (ip === undefined) return;
    this.byUid.delete(podUid);
    this.byIp.delete(ip);
  }

  /**
   * Records that `podUid` holds `ip` (recovery from `status.podIP`); a different address it held is freed. Returns
   * false, changing nothing, when `ip` is not an address this range hands out or is held by another uid.
   */
  reserve(podUid: string, ip: string): boolean {
    const n = tryParseIPv4(ip);
    if (n === undefined || !this.assignable(n)) return false;
    const owner = this.byIp.get(n);
    if (owner !== undefined) return owner === podUid;
    this.release(podUid);
    this.take(podUid, n);
    return true;
  }

  /** The address `podUid` holds, if any. */
  ipOf(podUid: string): string | undefined {
    const ip = this.byUid.get(podUid);
    return ip === undefined ? undefined : formatIPv4(ip);
  }

  /** Number of addresses handed out. */
  allocated(): number {
    return this.byUid.size;
  }

  /** Number of addresses this range can hand out (range size minus the gateway). */
  capacity(): number {
    return this.end - this.start;
  }

  private assignable(n: number): boolean {
    return cidrContains(this.subnet, n) && n >= this.start && n <= this.end && n !== this.gw;
  }

  private take(podUid: string, ip: number): void {
    this.byUid.set(podUid, ip);
    this.byIp.set(ip, podUid);
  }

  /** host-local's RangeIter: from last+1 (or the range start) round to last, skipping the gateway and used ones. */
  private nextFree(): number | undefined {
    if (this.byIp.size >= this.capacity()) return undefined;
    const span = this.end - this.start + 1;
    const first = this.last !== undefined && this.last >= this.start && this.last <= this.end ? this.last + 1 : this.start;
    for (let i = 0; i < span; i++) {
      let ip = first + i;
      if (ip > this.end) ip -= span;
      if (ip !== this.gw && !this.byIp.has(ip)) return ip;
    }
    return undefined;
  }
}
