/**
 * Image states (upstream cache.imageStates): per image name, its size and the nodes having it (from
 * node.status.images). A NodeInfo's `imageStates` maps each of its images to one shared, live ImageState per image,
 * so `numNodes` (ImageLocality's spread) is current in every snapshot without re-cloning other nodes.
 */
import type { ImageState, Node, NodeInfo } from '../framework';

interface Entry {
  state: ImageState;
  nodes: Set<string>;
}

export class ImageStates {
  private readonly images = new Map<string, Entry>();

  /** Sets `info.imageStates` from the node's images and counts the node for each. */
  add(info: NodeInfo, name: string, node: Node): void {
    const images = (node.status as { images?: { names?: string[]; sizeBytes?: number }[] } | undefined)?.images ?? [];
    const sum = new Map<string, ImageState>();
    for (const img of images) {
      for (const n of img.names ?? []) {
        let e = this.images.get(n);
        if (!e) this.images.set(n, (e = { state: { size: img.sizeBytes ?? 0, numNodes: 0 }, nodes: new Set() }));
        e.nodes.add(name);
        e.state.numNodes = e.nodes.size;
        if (!sum.has(n)) sum.set(n, e.state);
      }
    }
    info.imageStates = sum;
  }

  /** Uncounts the node for the images of `info` and clears them. */
  remove(info: NodeInfo, name: string): void {
    for (const n of info.imageStates.keys()) {
      const e = this.images.get(n);
      if (!e) continue;
      e.nodes.delete(name);
      e.state.numNodes = e.nodes.size;
      if (e.nodes.size === 0) this.images.delete(n);
    }
    info.imageStates = new Map();
  }

  nodesOf(image: string): ReadonlySet<string> | undefined {
    return this.images.get(image)?.nodes;
  }
}
