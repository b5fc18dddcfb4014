/**
 * The composition root's entry point (bundled as dist/cluster.js): builds every component from its configuration
 * and starts the cluster. Placeholder until the API server and components exist.
 */
export interface RunningCluster {
  /** Stops every component and releases the storage directory. */
  close(): Promise<void>;
}

export async function startCluster(opts: { dataDir: string }): Promise<RunningCluster> {
  void opts;
  throw new Error('not wired yet');
}
