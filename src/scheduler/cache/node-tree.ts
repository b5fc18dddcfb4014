/**
 * NodeTree (upstream internal/cache/node_tree.go): node names grouped by zone (`region:\x00:zone` from the
 * topology labels, GA or beta), listed round-robin across zones so the scheduler's first nodes are spread over
 * zones. `list()` is recomputed only when the tree changed.
 */
import type { Node } from '../framework';

const ZONE = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const REGION = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

/** upstream utilnode.GetZoneKey: '' when the node has neither zone nor region. */
export function zoneKey(node: Node): string {
  const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
  const region = labels[REGION[0]] ?? labels[REGION[1]] ?? '';
  const zone = labels[ZONE[0]] ?? labels[ZONE[1]] ?? '';
  if (!region && !zone) return '';
  return `${region}:\x00:${zone}`;
}

export class NodeTree {
  private readonly tree = new Map<string, string[]>();
  private readonly zoneOf = new Map<string, string>();
  private cached: string[] | undefined;

  get numNodes(): number {
    return this.zoneOf.size;
  }

  addNode(node: Node): void {
    const name = String(node.metadata?.name ?? '');
    if (this.zoneOf.has(name)) return;
    const z = zoneKey(node);
    let names = this.tree.get(z);
    if (!names) this.tree.set(z, (names = []));
    names.push(name);
    this.zoneOf.set(name, z);
    this.cached = undefined;
  }

  removeNode(node: Node): boolean {
    const name = String(node.metadata?.name ?? '');
    const z = this.zoneOf.get(name);
    if (z === undefined) return false;
    const names = this.tree.get(z)!;
    names.splice(names.indexOf(name), 1);
    if (names.length === 0) this.tree.delete(z);
    this.zoneOf.delete(name);
    this.cached = undefined;
    return true;
  }

  updateNode(oldNode: Node | undefined, newNode: Node): void {
    const name = String(newNode.metadata?.name ?? '');
    if (this.zoneOf.get(name) === zoneKey(newNode)) return;
    if (oldNode) this.removeNode(oldNode);
    this.addNode(newNode);
  }

  /** All node names, one zone after another round-robin (upstream nodeTree.list). */
  list(): readonly string[] {
    if (this.cached) return this.cached;
    const zones = [...this.tree.values()];
    const out: string[] = [];
    for (let i = 0; out.length < this.zoneOf.size; i++) for (const names of zones) if (i < names.length) out.push(names[i]);
    this.cached = out;
    return out;
  }
}
