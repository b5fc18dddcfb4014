/**
 * Periodic node status (upstream kubelet syncNodeStatus / tryUpdateNodeStatus): every nodeStatusUpdateFrequency
 * (10 s) on the Clock, read the Node, run the status setters (conditions with fresh heartbeats, capacity,
 * allocatable, addresses, nodeInfo, daemonEndpoints) and PATCH nodes/<name>/status (strategic merge) only when
 * something changed apart from heartbeats, a kubelet-owned label is missing, or nodeStatusReportFrequency (5 min) has
 * passed since the last report. Up to 5 tries per round. `transitions` from each written round are handed to
 * `onTransitions` (for the NodeHasSufficientMemory/NodeReady… events). `stop()` ends the loop.
 */
import { tickAlignedDelay, type Clock, type TimerHandle } from '../../base/clock';
import type { Logger } from '../../base/logger';
import { R, type ApiClient, type Obj } from '../../controllers/framework';
import { conditionsChanged, setNodeConditions, type ConditionTransition, type NodeCondition, type NodeHealth } from './node-conditions';
import { defaultLabels, nodeAddresses, nodeAllocatable, nodeCapacity, nodeInfo, KUBELET_PORT, type NodeConfig } from './node-object';
import { rfc3339 } from './identity';

export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
const NODE_STATUS_UPDATE_RETRY = 5;

export interface NodeStatusOptions {
  client: ApiClient;
  clock: Clock;
  logger: Logger;
  /** The node's current configuration (capacity, addresses, versions); read every round. */
  config: () => NodeConfig;
  /** Current health (pressure, NotReady errors); default healthy. */
  health?: () => NodeHealth;
  onTransitions?: (t: ConditionTransition[]) => void;
  /** The images present on the node (status.images: largest first, at most 50, as upstream). */
  images?: () => readonly NodeImage[];
  /** The Node as the kubelet's own informer last saw it; when given (and known) it replaces the GET each round. */
  cached?: () => Obj | undefined;
  updateFrequencyMs?: number;
  reportFrequencyMs?: number;
  /** Rounds wait on to the next multiple of this many ms (see Kubelet's heartbeatTickMs); default none. */
  tickMs?: number;
}

type Status = Record<string, unknown> & { conditions?: NodeCondition[] };

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/** Upstream nodeStatusMaxImages. */
export const MAX_NODE_IMAGES = 50;

/** status.images as the kubelet reports it: largest first, at most MAX_NODE_IMAGES. */
export function nodeImages(images: readonly NodeImage[]): NodeImage[] {
  return [...images].sort((a, b) => b.sizeBytes - a.sizeBytes || (a.names[0] ?? '').localeCompare(b.names[0] ?? '')).slice(0, MAX_NODE_IMAGES);
}

/** Deterministic JSON with sorted keys, for semantic comparison of status fields. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

const STATUS_FIELDS = ['capacity', 'allocatable', 'addresses', 'daemonEndpoints', 'nodeInfo'] as const;

/**
 * setNodeStatus over the stored status: what the kubelet would now report, the transitions, whether anything but
 * heartbeats differs (upstream nodeStatusHasChanged), and the strategic-merge patch that writes it.
 */
export function computeNodeStatus(
  cfg: NodeConfig,
  stored: Obj,
  health: NodeHealth,
  nowMs: number,
  images?: readonly NodeImage[],
): { changed: boolean; labelsMissing: boolean; transitions: ConditionTransition[]; patch: Obj } {
  const old = (stored.status ?? {}) as Status;
  const { conditions, transitions } = setNodeConditions(old.conditions, health, rfc3339(nowMs));
  const capacity = nodeCapacity(cfg);
  const next: Record<(typeof STATUS_FIELDS)[number], unknown> = {
    capacity,
    allocatable: nodeAllocatable(cfg, capacity),
    addresses: nodeAddresses(cfg),
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort ?? KUBELET_PORT } },
    nodeInfo: nodeInfo(cfg),
  };
  const status: Record<string, unknown> = { conditions };
  let changed = conditionsChanged(old.conditions, conditions);
  for (const f of STATUS_FIELDS) {
    if (canon(old[f]) === canon(next[f])) continue;
    changed = true;
    // addresses carry a merge key (type) that is not unique enough: replace the whole list, as upstream advises
    status[f] = f === 'addresses' ? [{ $patch: 'replace' }, ...(next[f] as unknown[])] : next[f];
  }
  if (images) {
    const list = nodeImages(images);
    if (canon(old.images ?? []) !== canon(list)) {
      changed = true;
      // images has no merge key: the list is replaced whole.
      status.images = list;
    }
  }
  const labels = ((stored.metadata ?? {}) as { labels?: Record<string, string> }).labels ?? {};
  const missing: Record<string, string> = {};
  for (const [k, v] of Object.entries(defaultLabels(cfg))) if ((k === 'kubernetes.io/os' || k === 'kubernetes.io/arch') && labels[k] !== v) missing[k] = v;
  const labelsMissing = Object.keys(missing).length > 0;
  const patch: Obj = { status };
  if (labelsMissing) patch.metadata = { labels: missing };
  return { changed, labelsMissing, transitions, patch };
}

export class NodeStatusUpdater {
  private lastReport = Number.NEGATIVE_INFINITY;
  private quiet: { stored: Obj; cfg: NodeConfig; health: string; images: readonly NodeImage[] | undefined } | undefined;
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** PATCHes written so far (for tests and the UI). */
  patches = 0;

  constructor(private readonly o: NodeStatusOptions) {}

  start(): void {
    if (this.stopped || this.timer || this.running) return;
    this.tick();
  }

  private tick(): void {
    this.timer = undefined;
    this.running = this.sync().then(() => {
      this.running = undefined;
      if (!this.stopped) this.timer = this.o.clock.setTimeout(() => this.tick(), tickAlignedDelay(this.o.clock.now(), this.o.updateFrequencyMs ?? NODE_STATUS_UPDATE_FREQUENCY_MS, this.o.tickMs));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** updateNodeStatus: up to 5 tries; true when a PATCH was written, false when there was nothing to report. */
  async sync(): Promise<boolean> {
    for (let i = 0; i < NODE_STATUS_UPDATE_RETRY && !this.stopped; i++) {
      try {
        return await this.tryUpdate(i === 0);
      } catch (e) {
        this.o.logger.error(`Error updating node status, will retry: ${(e as Error).message}`);
      }
    }
    if (!this.stopped) this.o.logger.error('Unable to update node status: update node status exceeds retry count');
    return false;
  }

  private async tryUpdate(useCache: boolean): Promise<boolean> {
    const cfg = this.o.config();
    const stored = (useCache ? this.o.cached?.() : undefined) ?? (await this.o.client.get(R.nodes, '', cfg.name));
    const now = this.o.clock.now();
    const health = this.o.health?.() ?? {};
    const reportDue = now >= this.lastReport + (this.o.reportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS);
    // The same stored Node, config and health as a round that found nothing to report: nothing changed since.
    const images = this.o.images?.();
    const healthKey = JSON.stringify(health);
    if (!reportDue && stored === this.quiet?.stored && cfg === this.quiet.cfg && healthKey === this.quiet.health && images === this.quiet.images) return false;
    const r = computeNodeStatus(cfg, stored, health, now, images);
    if (!reportDue && !r.changed && !r.labelsMissing) {
      this.quiet = { stored, cfg, health: healthKey, images };
      return false;
    }
    this.quiet = undefined;
    if (this.stopped) return false;
    await this.o.client.patch(R.nodes, '', cfg.name, r.patch, 'strategic', 'status');
    this.lastReport = now;
    this.patches++;
    if (r.transitions.length) this.o.onTransitions?.(r.transitions);
    return true;
  }
}
