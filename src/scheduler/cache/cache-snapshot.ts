/**
 * CacheSnapshot (upstream internal/cache/snapshot.go): the NodeInfos one scheduling cycle reads, refreshed in place
 * by `SchedulerCache.updateSnapshot` (only nodes whose generation grew are re-cloned; a NodeInfo object keeps its
 * identity across refreshes so the lists need rebuilding only when membership changes). Lists follow the node
 * tree's zone round-robin order. Implements the framework's Snapshot.
 */
import type { NodeInfo, Snapshot } from '../framework';

export class CacheSnapshot implements Snapshot {
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  havePodsWithAffinityNodeInfoList: NodeInfo[] = [];
  havePodsWithRequiredAntiAffinityNodeInfoList: NodeInfo[] = [];
  usedPVCSet = new Set<string>();
  /** The cache generation this snapshot reflects. */
  generation = 0;

  list(): readonly NodeInfo[] {
    return this.nodeInfoList;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    return this.havePodsWithAffinityNodeInfoList;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return this.havePodsWithRequiredAntiAffinityNodeInfoList;
  }

  isPVCUsedByPods(key: string): boolean {
    return this.usedPVCSet.has(key);
  }
}
