/**
 * The disruption controller (upstream pkg/controller/disruption, `disruption`, 1 worker, ServiceAccount
 * `disruption-controller`): keeps every PodDisruptionBudget's status — currentHealthy, desiredHealthy, expectedPods,
 * disruptionsAllowed, observedGeneration, disruptedPods (entries written by the eviction subresource, dropped once
 * the pod is being deleted or after 2 minutes on the clock) and the DisruptionAllowed condition — so the eviction
 * subresource can honour it. A sync that fails (other than on a conflict) writes the fail-safe status
 * (disruptionsAllowed 0, SyncFailed). It also resets DisruptionTarget pod conditions nobody acted on for 2 minutes
 * (syncStalePodDisruption); those pod keys share the queue, prefixed `pod:`. Events use upstream's component
 * `controllermanager` and wording (NoPods, UnmanagedPods, CalculateExpectedPodCountFailed, NotDeleted,
 * MultiplePodDisruptionBudgets).
 */
import { labelSelectorAsSelector } from '../../api/selectors/label-selector-object';
import type { EventRecorder } from '../../client/events';
import { deletedObject, objectKey, splitKey, type CachedObject, type Lister } from '../../client/informers';
import type { ControllerFactory } from '../manager';
import { isConflict, type ApiClient, type Obj } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { isPodTerminal } from '../framework/pod-util';
import { R } from '../framework/resources';
import { expectedScale, labelSelectorString, type ControllerListers } from './expected-scale';
import { buildDisruptedPodMap, countHealthyPods, expectedPodCount, failSafeStatus, metaTime, nextStatus, type PdbSpec, type PdbStatus } from './pdb-status';

export const DISRUPTION_CONTROLLER_SA = 'disruption-controller';
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;
const POD_KEY = 'pod:';

type PodCondition = { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string; lastProbeTime?: string | null };

function selectorOf(pdb: CachedObject) {
  return labelSelectorAsSelector((pdb.spec as { selector?: never } | undefined)?.selector);
}

export class DisruptionController extends QueueController {
  private readonly pdbs: Lister;
  private readonly pods: Lister;
  private readonly listers: ControllerListers;
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;

  constructor(ctx: ControllerContext) {
    super({ name: 'disruption', logger: ctx.logger, clock: ctx.clock });
    this.pdbs = ctx.informers.listerFor(R.poddisruptionbudgets);
    this.pods = ctx.informers.listerFor(R.pods);
    this.listers = {
      replicationControllers: ctx.informers.listerFor(R.replicationcontrollers),
      replicaSets: ctx.informers.listerFor(R.replicasets),
      deployments: ctx.informers.listerFor(R.deployments),
      statefulSets: ctx.informers.listerFor(R.statefulsets),
    };
    this.client = ctx.clientFor(DISRUPTION_CONTROLLER_SA);
    this.recorder = ctx.recorderFor('controllermanager', DISRUPTION_CONTROLLER_SA);
    ctx.informers.informerFor(R.poddisruptionbudgets).addEventHandler({
      onAdd: (p) => this.enqueue(p),
      onUpdate: (_o, p) => this.enqueue(p),
      onDelete: (p) => this.enqueue(p),
    });
    ctx.informers.informerFor(R.pods).addEventHandler({
      onAdd: (p) => this.podChanged(p, true),
      onUpdate: (_o, p) => this.podChanged(p, true),
      onDelete: (p) => this.podChanged(deletedObject(p), false),
    });
  }

  private podChanged(pod: CachedObject, checkStale: boolean): void {
    const pdb = this.pdbForPod(pod);
    if (pdb) this.enqueue(pdb);
    if (!checkStale) return;
    const wait = this.staleDisruptionWait(pod);
    if (wait !== undefined) this.enqueueAfter(`${POD_KEY}${objectKey(pod)}`, Math.max(1, wait));
  }

  /** getPdbForPod: the first PDB whose selector matches (a Warning on the pod when several do). */
  private pdbForPod(pod: CachedObject): CachedObject | undefined {
    const matching = this.pdbs.list(String(pod.metadata?.namespace ?? '')).filter((pdb) => {
      try {
        return selectorOf(pdb).matches(pod.metadata?.labels);
      } catch {
        return false;
      }
    });
    if (matching.length > 1) {
      const msg = `Pod ${JSON.stringify(pod.metadata?.namespace)}/${JSON.stringify(pod.metadata?.name)} matches multiple PodDisruptionBudgets.  Chose ${JSON.stringify(matching[0].metadata?.name)} arbitrarily.`;
      this.recorder.event(pod as Obj, 'Warning', 'MultiplePodDisruptionBudgets', msg);
    }
    return matching[0];
  }

  /** nonTerminatingPodHasStaleDisruptionCondition: ms until the DisruptionTarget condition is stale, if it may be. */
  private staleDisruptionWait(pod: CachedObject): number | undefined {
    if (pod.metadata?.deletionTimestamp) return undefined;
    const c = ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []).find((x) => x.type === 'DisruptionTarget');
    if (!c || c.status !== 'True' || c.reason === 'TerminationByKubelet' || isPodTerminal(pod)) return undefined;
    const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
    return Math.max(0, STALE_POD_DISRUPTION_TIMEOUT_MS - (this.clock.now() - (Number.isNaN(since) ? 0 : since)));
  }

  protected async sync(key: string): Promise<void> {
    if (key.startsWith(POD_KEY)) return this.syncStalePodDisruption(key.slice(POD_KEY.length));
    const { namespace, name } = splitKey(key);
    const pdb = this.pdbs.get(namespace, name);
    if (!pdb) return;
    try {
      await this.trySync(pdb);
    } catch (e) {
      if (isConflict(e)) throw e;
      this.logger.warn(`failed to sync PDB ${key}: ${(e as Error).message}`);
      await this.writeStatus(pdb, failSafeStatus(pdb.status as PdbStatus | undefined, (e as Error).message, this.clock.now()));
    }
  }

  private async trySync(pdb: CachedObject): Promise<void> {
    let pods: CachedObject[];
    try {
      pods = this.pods.list(String(pdb.metadata?.namespace ?? ''), selectorOf(pdb));
    } catch (e) {
      this.recorder.eventf(pdb as Obj, 'Warning', 'NoPods', 'Failed to get pods: %v', (e as Error).message);
      throw e;
    }
    if (pods.length === 0) this.recorder.event(pdb as Obj, 'Normal', 'NoPods', 'No matching pods found');
    const spec = (pdb.spec ?? {}) as PdbSpec;
    let counts: ReturnType<typeof expectedPodCount>;
    try {
      counts = expectedPodCount(spec, pods, () => expectedScale(this.listers, pods));
    } catch (e) {
      this.recorder.eventf(pdb as Obj, 'Warning', 'CalculateExpectedPodCountFailed', 'Failed to calculate the number of expected pods: %v', (e as Error).message);
      throw e;
    }
    if (counts.unmanaged.length > 0) {
      this.recorder.eventf(
        pdb as Obj,
        'Warning',
        'UnmanagedPods',
        'Pods selected by this PodDisruptionBudget (selector: %s) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
        labelSelectorString(spec.selector),
      );
    }
    const now = this.clock.now();
    const status = pdb.status as PdbStatus | undefined;
    const { disrupted, expired, recheckAt } = buildDisruptedPodMap(pods, status, now);
    for (const p of expired) {
      // Upstream prints the PDB's namespace twice.
      this.recorder.eventf(p as Obj, 'Warning', 'NotDeleted', "Pod was expected by PDB %s/%s to be deleted but it wasn't", pdb.metadata?.namespace, pdb.metadata?.namespace);
    }
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    const generation = Number(pdb.metadata?.generation ?? 0);
    const next = nextStatus(status, generation, { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedCount: counts.expectedCount, disrupted }, now);
    if (next) await this.writeStatus(pdb, next);
    if (recheckAt !== undefined) this.enqueueAfter(objectKey(pdb), Math.max(1, recheckAt - now));
  }

  private async writeStatus(pdb: CachedObject, status: PdbStatus): Promise<void> {
    const body = structuredClone(pdb) as Obj;
    body.status = status;
    await this.client.updateStatus(R.poddisruptionbudgets, String(pdb.metadata?.namespace ?? ''), body);
  }

  /** syncStalePodDisruption: DisruptionTarget=True for 2 minutes without a deletion becomes False. */
  private async syncStalePodDisruption(podKey: string): Promise<void> {
    const { namespace, name } = splitKey(podKey);
    const pod = this.pods.get(namespace, name);
    if (!pod) return;
    const wait = this.staleDisruptionWait(pod);
    if (wait === undefined) return;
    if (wait > 0) {
      this.enqueueAfter(`${POD_KEY}${podKey}`, wait);
      return;
    }
    const body = structuredClone(pod) as Obj;
    const conds = ((body.status as { conditions?: PodCondition[] }).conditions ??= []);
    const i = conds.findIndex((x) => x.type === 'DisruptionTarget');
    // UpdatePodCondition with only type and status: reason and message go, the transition time moves.
    conds[i] = { type: 'DisruptionTarget', status: 'False', lastProbeTime: null, lastTransitionTime: metaTime(this.clock.now()) };
    await this.client.updateStatus(R.pods, namespace, body);
  }
}

export const disruptionControllerFactory: ControllerFactory = {
  name: 'disruption',
  workers: 1,
  build: (ctx) => new DisruptionController(ctx),
};
