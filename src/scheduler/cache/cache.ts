/**
 * The scheduler cache (upstream internal/cache/cache.go): NodeInfos built from Node and assigned-Pod informer
 * events plus the pods the scheduler assumed, and `updateSnapshot` which refreshes a CacheSnapshot incrementally.
 *
 * Contract, as upstream:
 * - `assumePod(pod)` (pod.spec.nodeName set to the chosen node) counts the pod on its node before it is bound;
 *   `finishBinding` starts its expiry (only with a ttl > 0; upstream's default ttl is 0 = never expire);
 *   `forgetPod` drops it after a failed Reserve/Permit/Bind. The informer's Add of the bound pod confirms it
 *   (replacing the assumed copy, moving it if it landed on another node).
 * - A pod on a node the cache does not know creates a node-less NodeInfo (not in snapshots) so the accounting
 *   survives a Node arriving later; a removed Node whose pods remain stays node-less until they go.
 * - Every change stamps the NodeInfo with the next global generation and moves it to the head of a recency list;
 *   `updateSnapshot` walks from the head until it reaches nodes not newer than the snapshot.
 * - Images: per image name, its size and the set of nodes having it; NodeInfo.imageStates share one live
 *   ImageState per image, so `numNodes` is always current (ImageLocality's spread).
 * Errors (inconsistent events) throw Error with upstream's wording; the event handlers log them.
 */
import type { Clock, TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { NodeInfo, type Node, type Pod } from '../framework';
import type { CacheSnapshot } from './cache-snapshot';
import { ImageStates } from './image-states';
import { NodeTree } from './node-tree';

interface NodeItem {
  name: string;
  info: NodeInfo;
  prev: NodeItem | undefined;
  next: NodeItem | undefined;
}

interface PodState {
  pod: Pod;
  /** Expiry time (clock ms), set by finishBinding when a ttl is configured. */
  deadline?: number;
  bindingFinished: boolean;
}

export function podKey(pod: Pod): string {
  const uid = pod.metadata?.uid;
  return uid ? String(uid) : `${String(pod.metadata?.namespace ?? '')}/${String(pod.metadata?.name ?? '')}`;
}

const nodeName = (o: Pod | Node): string => String((o.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
const podRef = (pod: Pod): string => `${String(pod.metadata?.namespace ?? '')}/${String(pod.metadata?.name ?? '')}`;

export interface CacheOptions {
  clock: Clock;
  logger: Logger;
  /** How long an assumed pod whose binding finished may stay unconfirmed (0: forever, upstream's default). */
  ttlMs?: number;
  /** Cleanup period for expired assumed pods (upstream 1 s). */
  cleanupPeriodMs?: number;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeItem>();
  private head: NodeItem | undefined;
  private readonly tree = new NodeTree();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumed = new Set<string>();
  private readonly images = new ImageStates();
  private generation = 0;
  private timer: TimerHandle | undefined;

  constructor(private readonly o: CacheOptions) {}

  /** Starts the periodic expiry of assumed pods (no-op with ttl 0). */
  run(): void {
    if (!this.o.ttlMs || this.timer) return;
    const tick = () => {
      this.cleanupAssumedPods(this.o.clock.now());
      this.timer = this.o.clock.setTimeout(tick, this.o.cleanupPeriodMs ?? 1000);
    };
    this.timer = this.o.clock.setTimeout(tick, this.o.cleanupPeriodMs ?? 1000);
  }

  close(): void {
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  nodeCount(): number {
    return this.tree.numNodes;
  }

  podCount(): number {
    return this.podStates.size;
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  /** The pod as cached (assumed or added), if any. */
  getPod(pod: Pod): Pod | undefined {
    return this.podStates.get(podKey(pod))?.pod;
  }

  /** The live NodeInfo of a node (tests, debugging): never modify it. */
  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name)?.info;
  }

  assumePod(pod: Pod): void {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key}(${podRef(pod)}) is in the cache, so can't be assumed`);
    this.addPodInternal(pod, true);
  }

  finishBinding(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && this.assumed.has(key)) {
      st.bindingFinished = true;
      if (this.o.ttlMs) st.deadline = this.o.clock.now() + this.o.ttlMs;
    }
  }

  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && nodeName(st.pod) !== nodeName(pod)) throw new Error(`pod ${key}(${podRef(pod)}) was assumed on ${nodeName(pod)} but assigned to ${nodeName(st.pod)}`);
    if (!st || !this.assumed.has(key)) throw new Error(`pod ${key}(${podRef(pod)}) wasn't assumed so cannot be forgotten`);
    this.removePodInternal(st.pod);
  }

  addPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (st && this.assumed.has(key)) {
      // The assumed copy is replaced by the real pod (possibly on another node).
      this.updatePodInternal(st.pod, pod);
    } else if (!st) {
      // Never assumed here, or expired: add it.
      this.addPodInternal(pod, false);
    } else {
      throw new Error(`pod ${key}(${podRef(pod)}) was already in added state`);
    }
    this.assumed.delete(key);
    const now = this.podStates.get(key)!;
    now.deadline = undefined;
  }

  updatePod(oldPod: Pod, newPod: Pod): void {
    const key = podKey(oldPod);
    const st = this.podStates.get(key);
    if (!st || this.assumed.has(key)) throw new Error(`pod ${key}(${podRef(oldPod)}) is not added to scheduler cache, so cannot be updated`);
    if (nodeName(st.pod) !== nodeName(newPod)) throw new Error(`pod ${key}(${podRef(oldPod)}) updated on a different node than previously added to`);
    this.updatePodInternal(st.pod, newPod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (!st) throw new Error(`pod ${key}(${podRef(pod)}) is not found in scheduler cache, so cannot be removed from it`);
    if (nodeName(st.pod) !== nodeName(pod)) this.o.logger.error(`Pod was added to a different node than it was assumed podKey=${key} pod=${podRef(pod)} assumedNode=${nodeName(pod)} currentNode=${nodeName(st.pod)}`);
    this.removePodInternal(st.pod);
  }

  addNode(node: Node): NodeInfo {
    const name = String(node.metadata?.name ?? '');
    const item = this.itemFor(name);
    if (item.info.node) this.images.remove(item.info, name);
    this.tree.addNode(node);
    this.images.add(item.info, name, node);
    item.info.setNode(node);
    this.touch(item);
    return item.info;
  }

  updateNode(oldNode: Node, newNode: Node): NodeInfo {
    const name = String(newNode.metadata?.name ?? '');
    const item = this.itemFor(name);
    this.images.remove(item.info, name);
    this.tree.updateNode(item.info.node ?? oldNode, newNode);
    this.images.add(item.info, name, newNode);
    item.info.setNode(newNode);
    this.touch(item);
    return item.info;
  }

  removeNode(node: Node): void {
    const name = String(node.metadata?.name ?? '');
    const item = this.nodes.get(name);
    if (!item) throw new Error(`node ${name} is not found`);
    item.info.node = undefined;
    if (item.info.pods.length === 0) this.unlink(item);
    else this.touch(item);
    this.tree.removeNode(node);
    this.images.remove(item.info, name);
  }

  /** Drops assumed pods whose binding finished more than ttl ago (upstream cleanupAssumedPods). */
  cleanupAssumedPods(now: number): void {
    if (!this.o.ttlMs) return;
    for (const key of [...this.assumed]) {
      const st = this.podStates.get(key);
      if (!st || !st.bindingFinished || st.deadline === undefined) continue;
      if (now > st.deadline) {
        this.o.logger.info(`Pod expired podKey=${key} pod=${podRef(st.pod)}`);
        this.removePodInternal(st.pod);
      }
    }
  }

  /** Refreshes `snap` to the cache's current state, cloning only what changed since its generation. */
  updateSnapshot(snap: CacheSnapshot): void {
    let updateAll = false;
    let updateAffinity = false;
    let updateAnti = false;
    let updatePVC = false;
    for (let it = this.head; it && it.info.generation > snap.generation; it = it.next) {
      const node = it.info.node;
      if (!node) continue;
      let existing = snap.nodeInfoMap.get(it.name);
      if (!existing) {
        updateAll = true;
        existing = new NodeInfo();
        snap.nodeInfoMap.set(it.name, existing);
      }
      const info = it.info;
      if (existing.podsWithAffinity.length > 0 !== info.podsWithAffinity.length > 0) updateAffinity = true;
      if (existing.podsWithRequiredAntiAffinity.length > 0 !== info.podsWithRequiredAntiAffinity.length > 0) updateAnti = true;
      if (!updatePVC && (existing.pvcRefCounts.size !== info.pvcRefCounts.size || [...info.pvcRefCounts.keys()].some((k) => !existing.pvcRefCounts.has(k)))) updatePVC = true;
      existing.assignFrom(info);
    }
    if (this.head) snap.generation = this.head.info.generation;
    if (snap.nodeInfoMap.size > this.tree.numNodes) {
      for (const name of [...snap.nodeInfoMap.keys()]) if (!this.nodes.get(name)?.info.node) snap.nodeInfoMap.delete(name);
      updateAll = true;
    }
    if (updateAll || updateAffinity || updateAnti || updatePVC) this.rebuildLists(snap, updateAll);
    if (snap.nodeInfoList.length !== this.tree.numNodes) {
      this.rebuildLists(snap, true);
      throw new Error(`snapshot state is not consistent, length of NodeInfoList=${snap.nodeInfoList.length} not equal to length of nodes in tree=${this.tree.numNodes}`);
    }
  }

  private rebuildLists(snap: CacheSnapshot, all: boolean): void {
    if (all) {
      snap.nodeInfoList = [];
      for (const name of this.tree.list()) {
        const ni = snap.nodeInfoMap.get(name);
        if (ni) snap.nodeInfoList.push(ni);
        else this.o.logger.error(`Node exists in nodeTree but not in NodeInfoMap, this should not happen node=${name}`);
      }
    }
    snap.havePodsWithAffinityNodeInfoList = [];
    snap.havePodsWithRequiredAntiAffinityNodeInfoList = [];
    snap.usedPVCSet = new Set();
    for (const ni of snap.nodeInfoList) {
      if (ni.podsWithAffinity.length > 0) snap.havePodsWithAffinityNodeInfoList.push(ni);
      if (ni.podsWithRequiredAntiAffinity.length > 0) snap.havePodsWithRequiredAntiAffinityNodeInfoList.push(ni);
      for (const k of ni.pvcRefCounts.keys()) snap.usedPVCSet.add(k);
    }
  }

  private addPodInternal(pod: Pod, assume: boolean): void {
    const key = podKey(pod);
    const item = this.itemFor(nodeName(pod));
    item.info.addPod(pod);
    this.touch(item);
    this.podStates.set(key, { pod, bindingFinished: false });
    if (assume) this.assumed.add(key);
  }

  private updatePodInternal(oldPod: Pod, newPod: Pod): void {
    this.removePodInternal(oldPod);
    this.addPodInternal(newPod, false);
  }

  private removePodInternal(pod: Pod): void {
    const key = podKey(pod);
    const item = this.nodes.get(nodeName(pod));
    if (item) {
      item.info.removePod(pod);
      if (item.info.pods.length === 0 && !item.info.node) this.unlink(item);
      else this.touch(item);
    } else {
      this.o.logger.error(`node ${nodeName(pod)} not found when trying to remove pod ${key}(${podRef(pod)})`);
    }
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  private itemFor(name: string): NodeItem {
    let item = this.nodes.get(name);
    if (!item) {
      item = { name, info: new NodeInfo(), prev: undefined, next: undefined };
      this.nodes.set(name, item);
    }
    return item;
  }

  /** Stamps the next generation and moves the node to the head of the recency list. */
  private touch(item: NodeItem): void {
    item.info.generation = ++this.generation;
    if (this.head === item) return;
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    item.prev = undefined;
    item.next = this.head;
    if (this.head) this.head.prev = item;
    this.head = item;
  }

  private unlink(item: NodeItem): void {
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    if (this.head === item) this.head = item.next;
    item.prev = item.next = undefined;
    this.nodes.delete(item.name);
  }

  /** Image name → nodes having it (tests, debugging). */
  imageNodes(image: string): ReadonlySet<string> | undefined {
    return this.images.nodesOf(image);
  }
}
