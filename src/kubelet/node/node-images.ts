/**
 * The node's images as its status reports them (status.images, which the scheduler's ImageLocality reads): a
 * snapshot of the runtime's image list, refreshed after containers are created (one refresh at a time). `current`
 * is a new array only when the list changed, so the node status updater can tell "nothing new" by identity.
 */
import type { Logger } from '../../base/logger';
import type { ContainerRuntime } from '../runtime/runtime';
import type { NodeImage } from './node-status';

export class NodeImages {
  current: readonly NodeImage[] = [];
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly logger: Logger,
  ) {}

  async refresh(): Promise<void> {
    const list = await this.runtime.listImages();
    const next = list.map((i) => ({ names: [...i.repoTags], sizeBytes: i.sizeBytes }));
    if (JSON.stringify(next) !== JSON.stringify(this.current)) this.current = next;
  }

  /** Refreshes soon, unless a refresh is already under way. */
  schedule(): void {
    if (this.inFlight) return;
    this.inFlight = Promise.resolve()
      .then(() => this.refresh())
      .catch((e: Error) => this.logger.error(`listing images failed: ${e.message}`))
      .finally(() => (this.inFlight = undefined));
  }
}
