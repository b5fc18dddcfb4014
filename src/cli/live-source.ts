/**
 * Where the headless command's live status comes from: informers on nodes and pods and a watch on events, as the
 * cluster admin — the CLI is an API client like any other — combined with the cluster's own component and node
 * states into a LiveStatus for status-view.ts.
 */
import type { Logger } from '../base/logger';
import { InProcessTransport } from '../client/in-process';
import { SharedInformer } from '../client/informers';
import type { RunningCluster } from '../cluster/main';
import { R } from '../controllers/framework';
import type { LiveStatus } from './status-view';

type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> };

const MAX_EVENTS = 5;

export class LiveSource {
  private readonly transport: InProcessTransport;
  private readonly nodes: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly events: SharedInformer;
  private readonly last: LiveStatus['lastEvents'] = [];

  constructor(
    private readonly cluster: RunningCluster,
    logger: Logger,
  ) {
    this.transport = new InProcessTransport({ handle: (r) => cluster.handle(r), token: cluster.adminToken, userAgent: 'kubelab-cli' });
    const inf = (resource: typeof R.pods) => new SharedInformer({ transport: this.transport, resource, logger: logger.child(`status ${resource.resource}`) });
    this.nodes = inf(R.nodes);
    this.pods = inf(R.pods);
    this.events = inf(R.events);
    this.events.addEventHandler({ onAdd: (e, initial) => !initial && this.remember(e as Obj), onUpdate: (_o, e) => this.remember(e as Obj) });
    for (const i of [this.nodes, this.pods, this.events]) i.run();
  }

  private remember(e: Obj): void {
    const io = (e.involvedObject ?? {}) as { kind?: string; name?: string; namespace?: string };
    const time = String(e.lastTimestamp ?? e.eventTime ?? (e.metadata?.creationTimestamp as string | undefined) ?? '');
    this.last.push({ time: time.slice(11, 19), type: String(e.type ?? ''), reason: String(e.reason ?? ''), object: `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`, message: String(e.message ?? '') });
    if (this.last.length > MAX_EVENTS) this.last.shift();
  }

  snapshot(): LiveStatus {
    const st = this.cluster.status();
    const running = new Map(st.nodes.map((n) => [n.name, n]));
    const nodes = (this.nodes.indexer.list() as Obj[]).map((n) => {
      const name = String(n.metadata?.name ?? '');
      const conds = ((n.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      const m = running.get(name);
      return { name, ready: conds.some((c) => c.type === 'Ready' && c.status === 'True'), role: m?.role ?? '', pods: m?.pods ?? 0, stopped: m ? m.state === 'stopped' : false };
    });
    const podsByPhase: Record<string, number> = {};
    for (const p of this.pods.indexer.list() as Obj[]) {
      const phase = p.metadata?.deletionTimestamp ? 'Terminating' : String((p.status as { phase?: string } | undefined)?.phase ?? 'Pending');
      podsByPhase[phase] = (podsByPhase[phase] ?? 0) + 1;
    }
    return {
      nodes: nodes.sort((a, b) => a.name.localeCompare(b.name)),
      podsByPhase,
      lastEvents: [...this.last],
      components: st.components.map((c) => ({ name: c.name, state: c.state })),
      url: this.cluster.url,
      kubeconfig: this.cluster.kubeconfig,
    };
  }

  stop(): void {
    for (const i of [this.nodes, this.pods, this.events]) i.stop();
    this.transport.close();
  }
}
