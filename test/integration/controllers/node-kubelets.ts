/**
 * The kubelets of the node lifecycle tests, played by the test as cluster admin: nodes with Ready=True (and the
 * pressure conditions False) and a Lease in kube-node-lease; `tick` renews the Leases of the nodes still alive and
 * advances the fake clock; pods bound to nodes and reported Running and Ready.
 */
import { isConflict, R, type Obj } from '../../../src/controllers/framework';
import type { ControllerTest } from '../../helpers/controllers';

const NS = 'default';
const LEASE_NS = 'kube-node-lease';

const time = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export interface TaintView {
  key: string;
  effect: string;
  timeAdded?: string;
}

export class NodeKubelets {
  private readonly alive = new Set<string>();

  constructor(private readonly t: ControllerTest) {}

  async addNode(name: string, o: { labels?: Record<string, string> } = {}): Promise<void> {
    await this.t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: o.labels } });
    await this.postStatus(name);
    const now = this.t.clock.now();
    await this.t.admin.create(R.leases, LEASE_NS, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro(now) },
    });
    this.alive.add(name);
  }

  /** The kubelet posts a fresh status: Ready=True, pressure conditions False. */
  async postStatus(name: string): Promise<void> {
    const now = time(this.t.clock.now());
    const cond = (type: string, status: string, reason: string) => ({ type, status, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now });
    await this.updateStatus(name, () => [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID'),
      cond('Ready', 'True', 'KubeletReady'),
    ]);
  }

  /** Sets one condition's status. */
  async setCondition(name: string, type: string, status: string): Promise<void> {
    await this.updateStatus(name, (conds) => conds.map((c) => (c.type === type ? { ...c, status } : c)));
  }

  /** PUT nodes/status with new conditions, retrying on conflicts with the controllers' writes. */
  private async updateStatus(name: string, conditions: (cur: Obj[]) => Obj[]): Promise<void> {
    for (let i = 0; ; i++) {
      const n = structuredClone(await this.t.admin.get(R.nodes, '', name));
      n.status = { ...(n.status as Obj), conditions: conditions((n.status as { conditions?: Obj[] } | undefined)?.conditions ?? []) };
      try {
        await this.t.admin.updateStatus(R.nodes, '', n);
        return;
      } catch (e) {
        if (!isConflict(e) || i > 5) throw e;
      }
    }
  }

  stop(name: string): void {
    this.alive.delete(name);
  }

  async restart(name: string): Promise<void> {
    this.alive.add(name);
    await this.postStatus(name);
    await this.renew();
  }

  async renew(): Promise<void> {
    const renewTime = micro(this.t.clock.now());
    for (const name of this.alive) await this.t.admin.patch(R.leases, LEASE_NS, name, { spec: { renewTime } }, 'merge');
  }

  /** Renews the live nodes' Leases, then advances the clock by `ms` and lets the controllers settle. */
  async tick(ms: number): Promise<void> {
    await this.renew();
    await this.t.settle();
    await this.t.advance(ms);
  }

  node(name: string): Promise<Obj> {
    return this.t.admin.get(R.nodes, '', name);
  }

  ready(node: Obj): Obj {
    return ((node.status as { conditions?: Obj[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready') ?? {};
  }

  taints(node: Obj): TaintView[] {
    return ((node.spec as { taints?: TaintView[] } | undefined)?.taints ?? []).slice();
  }

  async nodeEvents(name: string): Promise<string[]> {
    const events = await this.t.list(R.events, '');
    return events.filter((e) => (e.involvedObject as { kind?: string; name?: string }).kind === 'Node' && (e.involvedObject as { name?: string }).name === name).map((e) => `${e.reason}: ${e.message}`);
  }

  /** A pod bound to `node`, reported Running and Ready. */
  async runPod(name: string, node: string, labels?: Record<string, string>): Promise<void> {
    await this.t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] } });
    await this.reportRunning(name);
  }

  /** Binds an existing pod to `node` (pods/binding) and reports it Running and Ready. */
  async bindAndRun(name: string, node: string): Promise<void> {
    await this.t.admin.create(R.pods, NS, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } }, { name, subresource: 'binding' });
    await this.reportRunning(name);
  }

  async reportRunning(name: string): Promise<void> {
    const now = time(this.t.clock.now());
    await this.t.admin.patch(R.pods, NS, name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, 'merge', 'status');
  }

  async podReady(name: string): Promise<string | undefined> {
    const p = await this.t.admin.get(R.pods, NS, name);
    return ((p.status as { conditions?: Obj[] }).conditions ?? []).find((c) => c.type === 'Ready')?.status as string | undefined;
  }

  /** Deleted or being deleted. */
  async terminating(name: string): Promise<boolean> {
    try {
      return !!(await this.t.admin.get(R.pods, NS, name)).metadata?.deletionTimestamp;
    } catch {
      return true;
    }
  }
}
