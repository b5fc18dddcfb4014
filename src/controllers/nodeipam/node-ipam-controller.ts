/**
 * The node IPAM controller (upstream pkg/controller/nodeipam with the RangeAllocator; kube-controller-manager's
 * `node-ipam-controller`, run with --allocate-node-cidrs as kubeadm does). It writes as the ServiceAccount
 * `node-controller` (upstream builds its client with ClientOrDie("node-controller"), so RBAC's
 * system:controller:node-controller applies) and records events with source component `cidrAllocator`. IPv4 only.
 *
 * - Every Node without spec.podCIDRs gets the next free /nodeCIDRMaskSize block of the cluster CIDR: a strategic
 *   merge patch `{"spec":{"podCIDR":c,"podCIDRs":[c]}}` (upstream PatchNodeCIDRs), tried 3 times; after that the
 *   event `CIDRAssignmentFailed`, the block is released and the key retried with backoff.
 * - Cluster CIDR used up: the event `CIDRNotAvailable` ("Node %s status is now: CIDRNotAvailable", type Normal as in
 *   1.32), nothing is set, the key is retried with the queue's backoff (and at once when a block is released).
 * - When it starts (run, after the informers synced, before any allocation) every existing Node's podCIDR is marked
 *   used, oldest Node first, so a restart never hands out a block twice. Later Nodes that come with a podCIDR are
 *   marked when seen.
 * - A Node whose podCIDR lies outside the cluster CIDR, cannot be parsed, or covers a block another Node (or the
 *   service CIDR) holds is left alone with one Warning event per distinct problem (`PodCIDROutOfRange`,
 *   `PodCIDRConflict`; upstream only logs and retries, or refuses to start); it is checked again whenever a block is
 *   released.
 * - A deleted (or deleting) Node's blocks are released.
 */
import type { EventRecorder } from '../../client/events';
import { deletedObject, type CachedObject, type Lister } from '../../client/informers';
import { formatCidr, parseCidr, tryParseCidr } from '../../addons/cni/cidr';
import type { ControllerFactory } from '../manager';
import { isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext, RunnableController } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import { NodeCidrSet } from './cidr-set';

export const NODE_IPAM_CONTROLLER = 'node-ipam-controller';
/** The ServiceAccount upstream's node IPAM controller writes as. */
export const NODE_IPAM_SERVICE_ACCOUNT = 'node-controller';
/** The event source component of upstream's range allocator. */
export const CIDR_ALLOCATOR_COMPONENT = 'cidrAllocator';
const CIDR_UPDATE_RETRIES = 3;
/** upstream cidrUpdateWorkers: allocation is synchronous, so concurrent syncs only overlap their patches. */
const CIDR_UPDATE_WORKERS = 30;
/** Owner of the service CIDR's blocks: not a valid Node name, so it never collides with one. */
const SERVICE_RANGE = ' service-cidr';

export interface NodeIpamOptions {
  /** --cluster-cidr: the range Node podCIDRs are cut from (IPv4). */
  clusterCIDR: string;
  /** --node-cidr-mask-size-ipv4: the prefix length of each Node's podCIDR. */
  nodeCIDRMaskSize: number;
  /** --service-cluster-ip-range: blocks overlapping it are never handed out (upstream filterOutServiceRange). */
  serviceCIDR?: string;
}

export const DEFAULT_NODE_IPAM_OPTIONS: Readonly<NodeIpamOptions> = { clusterCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24 };

const nameOf = (n: CachedObject): string => String(n.metadata?.name ?? '');

/** spec.podCIDRs, or [spec.podCIDR] when only the old field is set. */
export function podCidrsOf(node: CachedObject): string[] {
  const spec = (node.spec ?? {}) as { podCIDR?: unknown; podCIDRs?: unknown };
  if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0) return spec.podCIDRs.map(String);
  return typeof spec.podCIDR === 'string' && spec.podCIDR !== '' ? [spec.podCIDR] : [];
}

export class NodeIpamController extends QueueController implements RunnableController {
  readonly options: NodeIpamOptions;
  readonly cidrs: NodeCidrSet;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly nodeLister: Lister;
  /** Nodes left alone because of their podCIDR → the problem last reported (one event per distinct problem). */
  private readonly problems = new Map<string, string>();
  /** Nodes that found the cluster CIDR used up. */
  private readonly waiting = new Set<string>();

  constructor(ctx: ControllerContext, options: Partial<NodeIpamOptions> = {}) {
    super({ name: NODE_IPAM_CONTROLLER, logger: ctx.logger, clock: ctx.clock });
    this.options = { ...DEFAULT_NODE_IPAM_OPTIONS, ...options };
    this.cidrs = new NodeCidrSet(parseCidr(this.options.clusterCIDR), this.options.nodeCIDRMaskSize);
    if (this.options.serviceCIDR) this.cidrs.occupy(parseCidr(this.options.serviceCIDR), SERVICE_RANGE);
    this.client = ctx.clientFor(NODE_IPAM_SERVICE_ACCOUNT);
    this.recorder = ctx.recorderFor(CIDR_ALLOCATOR_COMPONENT, NODE_IPAM_SERVICE_ACCOUNT);
    this.nodeLister = ctx.informers.listerFor(R.nodes);
    ctx.informers.informerFor(R.nodes).addEventHandler({
      onAdd: (n) => this.enqueueKey(nameOf(n)),
      onUpdate: (o, n) => {
        if (needsSync(o, n)) this.enqueueKey(nameOf(n));
      },
      onDelete: (n) => this.releaseNode(nameOf(deletedObject(n))),
    });
  }

  /** Marks the podCIDRs of the Nodes already there (oldest first), then starts the workers. */
  override run(workers = 1): void {
    const nodes = [...this.nodeLister.list()].sort(byCreation);
    for (const n of nodes) {
      const cidrs = podCidrsOf(n);
      if (cidrs.length > 0 && !n.metadata?.deletionTimestamp) this.occupyNode(n, cidrs);
    }
    super.run(workers);
  }

  protected async sync(name: string): Promise<void> {
    const node = this.nodeLister.get('', name);
    if (!node || node.metadata?.deletionTimestamp) {
      this.releaseNode(name);
      return;
    }
    const cidrs = podCidrsOf(node);
    if (cidrs.length > 0) {
      this.waiting.delete(name);
      this.occupyNode(node, cidrs);
      return;
    }
    await this.allocate(node);
  }

  /** upstream occupyCIDRs, with conflicts and out-of-range blocks reported instead of retried forever. */
  private occupyNode(node: CachedObject, cidrs: readonly string[]): void {
    const name = nameOf(node);
    this.cidrs.release(name);
    const problems: { reason: string; message: string }[] = [];
    cidrs.forEach((text, idx) => {
      if (idx >= 1) {
        const message = `node:${name} has an allocated cidr: ${text} at index:${idx} that does not exist in cluster cidrs configuration`;
        problems.push({ reason: 'PodCIDROutOfRange', message });
        return;
      }
      const c = tryParseCidr(text);
      if (!c) {
        problems.push({ reason: 'PodCIDROutOfRange', message: `failed to parse node ${name}, CIDR ${text}` });
        return;
      }
      const r = this.cidrs.occupy(c, name);
      if (r.ok) return;
      if (r.reason === 'OutOfRange') {
        const message = `failed to mark cidr[${formatCidr(c)}] at idx [${idx}] as occupied for node: ${name}: ${this.cidrs.outOfRangeMessage(c)}`;
        problems.push({ reason: 'PodCIDROutOfRange', message });
      } else {
        const other = r.owner === SERVICE_RANGE ? `the service CIDR ${this.options.serviceCIDR}` : `the podCIDR of Node ${r.owner}`;
        problems.push({ reason: 'PodCIDRConflict', message: `podCIDR ${text} of Node ${name} overlaps ${other}` });
      }
    });
    if (problems.length === 0) {
      this.problems.delete(name);
      return;
    }
    const summary = problems.map((p) => p.message).join('; ');
    if (this.problems.get(name) === summary) return;
    this.problems.set(name, summary);
    for (const p of problems) {
      this.logger.warn(p.message);
      this.recorder.event(nodeRef(node), 'Warning', p.reason, p.message);
    }
  }

  /** upstream AllocateOrOccupyCIDR + updateCIDRsAllocation for a Node without podCIDRs. */
  private async allocate(node: CachedObject): Promise<void> {
    const name = nameOf(node);
    // A block taken for this Node whose patch the informer has not shown yet is patched again (a no-op if it landed).
    const block = this.cidrs.blocksOf(name)[0] ?? this.cidrs.allocateNext(name);
    if (!block) {
      this.waiting.add(name);
      this.statusChange(node, 'CIDRNotAvailable');
      throw new Error('failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range');
    }
    this.waiting.delete(name);
    const text = formatCidr(block);
    let last: unknown;
    for (let i = 0; i < CIDR_UPDATE_RETRIES; i++) {
      try {
        await this.client.patch(R.nodes, '', name, { spec: { podCIDR: text, podCIDRs: [text] } }, 'strategic');
        this.logger.info(`Set node PodCIDR node=${JSON.stringify(name)} podCIDRs=[${text}]`);
        return;
      } catch (e) {
        if (isNotFound(e)) {
          this.releaseNode(name);
          return;
        }
        last = e;
      }
    }
    this.logger.error(`Failed to update node PodCIDR after multiple attempts node=${JSON.stringify(name)} podCIDRs=[${text}]: ${(last as Error).message}`);
    this.statusChange(node, 'CIDRAssignmentFailed');
    this.cidrs.release(name);
    throw last;
  }

  /** upstream ReleaseCIDR: frees the Node's blocks; Nodes waiting for one, or left alone over a conflict, retry. */
  private releaseNode(name: string): void {
    this.problems.delete(name);
    this.waiting.delete(name);
    if (this.cidrs.release(name).length === 0) return;
    for (const n of [...this.waiting, ...this.problems.keys()]) this.enqueueKey(n);
  }

  /** upstream RecordNodeStatusChange. */
  private statusChange(node: CachedObject, status: string): void {
    const name = nameOf(node);
    this.recorder.eventf(nodeRef(node), 'Normal', status, 'Node %s status is now: %s', name, status);
  }
}

function nodeRef(node: CachedObject): { apiVersion: string; kind: string; name: string; uid: string } {
  return { apiVersion: 'v1', kind: 'Node', name: nameOf(node), uid: String(node.metadata?.uid ?? '') };
}

/** An update matters when the Node has no podCIDRs, they changed, or it started terminating. */
function needsSync(o: CachedObject, n: CachedObject): boolean {
  const a = podCidrsOf(o);
  const b = podCidrsOf(n);
  if (b.length === 0) return true;
  if (a.length !== b.length || a.some((c, i) => c !== b[i])) return true;
  return !!n.metadata?.deletionTimestamp !== !!o.metadata?.deletionTimestamp;
}

function byCreation(a: CachedObject, b: CachedObject): number {
  const ta = Date.parse(String(a.metadata?.creationTimestamp ?? '')) || 0;
  const tb = Date.parse(String(b.metadata?.creationTimestamp ?? '')) || 0;
  if (ta !== tb) return ta - tb;
  return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
}

/** A factory with another cluster CIDR, node mask size or service CIDR (cluster config, tests). */
export function newNodeIpamControllerFactory(options: Partial<NodeIpamOptions> = {}): ControllerFactory {
  return { name: NODE_IPAM_CONTROLLER, workers: CIDR_UPDATE_WORKERS, build: (ctx) => new NodeIpamController(ctx, options) };
}

export const nodeIpamControllerFactory: ControllerFactory = newNodeIpamControllerFactory();
