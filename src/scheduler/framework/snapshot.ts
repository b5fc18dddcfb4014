/**
 * A Snapshot over a list of NodeInfos (upstream cache.Snapshot): what one scheduling cycle reads. The cache builds
 * one per cycle from the nodes that changed; tests build one directly with `snapshotOf(nodeInfos)`.
 */
import type { Snapshot } from './interfaces';
import type { NodeInfo } from './node-info';

export class ListSnapshot implements Snapshot {
  private readonly byName = new Map<string, NodeInfo>();
  private readonly withAffinity: NodeInfo[];
  private readonly withAntiAffinity: NodeInfo[];
  private readonly rwopClaims: ReadonlySet<string>;

  constructor(
    private readonly nodes: readonly NodeInfo[],
    rwopClaims: ReadonlySet<string> = new Set(),
  ) {
    for (const n of nodes) this.byName.set(n.name, n);
    this.withAffinity = nodes.filter((n) => n.podsWithAffinity.length > 0);
    this.withAntiAffinity = nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    this.rwopClaims = rwopClaims;
  }

  list(): readonly NodeInfo[] {
    return this.nodes;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    return this.withAffinity;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return this.withAntiAffinity;
  }

  isPVCUsedByPods(key: string): boolean {
    return this.rwopClaims.has(key);
  }
}

export function snapshotOf(nodes: readonly NodeInfo[], rwopClaims?: ReadonlySet<string>): Snapshot {
  return new ListSnapshot(nodes, rwopClaims);
}
