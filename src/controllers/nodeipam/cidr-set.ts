/**
 * NodeCidrSet: the node IPAM controller's record of which node-sized blocks of the cluster CIDR are in use (upstream
 * pkg/controller/nodeipam/ipam/cidrset), pure, IPv4 only. The cluster CIDR is cut into 2^(nodeMaskSize - prefix)
 * slots; slot i is the block at base + i·2^(32 - nodeMaskSize).
 *
 * - allocateNext: the first free slot at or after the one following the last allocated, wrapping (upstream's
 *   nextCandidate); undefined when every slot is in use.
 * - occupy: marks every slot a block covers (a block smaller than a slot takes the whole slot; a block at least as
 *   large as the cluster CIDR takes all of them), as upstream's Occupy. Unlike upstream, slots remember their owner:
 *   a block that covers a slot of another owner is refused as a Conflict and nothing changes; a block outside the
 *   cluster CIDR is refused as OutOfRange (upstream: "cidr %v is out the range of cluster cidr %v").
 * - release: frees the slots of one owner only, so a node's deletion never frees a block another node holds.
 */
import { cidrOverlaps, formatCidr, lastAddress, type Ipv4Cidr } from '../../addons/cni/cidr';

export type OccupyResult = { ok: true } | { ok: false; reason: 'OutOfRange' } | { ok: false; reason: 'Conflict'; owner: string };

export class NodeCidrSet {
  /** Number of node blocks in the cluster CIDR. */
  readonly maxCidrs: number;
  private readonly slotSize: number;
  private readonly owners = new Map<number, string>();
  private readonly byOwner = new Map<string, Set<number>>();
  private nextCandidate = 0;

  constructor(
    readonly cluster: Ipv4Cidr,
    readonly nodeMaskSize: number,
  ) {
    if (!Number.isInteger(nodeMaskSize) || nodeMaskSize > 32) throw new Error(`invalid node CIDR mask size ${nodeMaskSize}: must be an integer from 0 to 32`);
    if (cluster.prefix > nodeMaskSize) {
      throw new Error('Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family');
    }
    this.maxCidrs = 2 ** (nodeMaskSize - cluster.prefix);
    this.slotSize = 2 ** (32 - nodeMaskSize);
  }

  /** Slots in use. */
  used(): number {
    return this.owners.size;
  }

  /** The block of slot `i`. */
  blockAt(i: number): Ipv4Cidr {
    return { base: this.cluster.base + i * this.slotSize, prefix: this.nodeMaskSize };
  }

  /** Takes the next free block for `owner`; undefined when the cluster CIDR is used up. */
  allocateNext(owner: string): Ipv4Cidr | undefined {
    if (this.owners.size >= this.maxCidrs) return undefined;
    let candidate = this.nextCandidate;
    for (let i = 0; i < this.maxCidrs && this.owners.has(candidate); i++) candidate = (candidate + 1) % this.maxCidrs;
    this.nextCandidate = (candidate + 1) % this.maxCidrs;
    this.mark(candidate, owner);
    return this.blockAt(candidate);
  }

  /** Marks the slots `cidr` covers as `owner`'s (idempotent for the same owner). */
  occupy(cidr: Ipv4Cidr, owner: string): OccupyResult {
    const range = this.slotRange(cidr);
    if (!range) return { ok: false, reason: 'OutOfRange' };
    for (let i = range.begin; i <= range.end; i++) {
      const o = this.owners.get(i);
      if (o !== undefined && o !== owner) return { ok: false, reason: 'Conflict', owner: o };
    }
    for (let i = range.begin; i <= range.end; i++) this.mark(i, owner);
    return { ok: true };
  }

  /** Frees every slot of `owner`; returns the blocks freed. */
  release(owner: string): Ipv4Cidr[] {
    const slots = this.byOwner.get(owner);
    if (!slots) return [];
    this.byOwner.delete(owner);
    for (const i of slots) this.owners.delete(i);
    return [...slots].sort((a, b) => a - b).map((i) => this.blockAt(i));
  }

  /** The blocks `owner` holds, lowest first. */
  blocksOf(owner: string): Ipv4Cidr[] {
    return [...(this.byOwner.get(owner) ?? [])].sort((a, b) => a - b).map((i) => this.blockAt(i));
  }

  /** Who holds the slot containing `ip`, if anyone. */
  ownerOfAddress(ip: number): string | undefined {
    if (ip < this.cluster.base || ip > lastAddress(this.cluster)) return undefined;
    return this.owners.get(this.indexOf(ip));
  }

  /** upstream's out-of-range error text for `cidr`. */
  outOfRangeMessage(cidr: Ipv4Cidr): string {
    return `cidr ${formatCidr(cidr)} is out the range of cluster cidr ${formatCidr(this.cluster)}`;
  }

  private indexOf(ip: number): number {
    return Math.floor((ip - this.cluster.base) / this.slotSize);
  }

  /** upstream getBeginningAndEndIndices. */
  private slotRange(cidr: Ipv4Cidr): { begin: number; end: number } | undefined {
    if (!cidrOverlaps(this.cluster, cidr)) return undefined;
    if (cidr.prefix <= this.cluster.prefix) return { begin: 0, end: this.maxCidrs - 1 };
    return { begin: this.indexOf(cidr.base), end: this.indexOf(lastAddress(cidr)) };
  }

  private mark(i: number, owner: string): void {
    this.owners.set(i, owner);
    let s = this.byOwner.get(owner);
    if (!s) this.byOwner.set(owner, (s = new Set()));
    s.add(i);
  }
}
