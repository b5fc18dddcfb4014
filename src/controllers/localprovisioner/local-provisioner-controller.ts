/**
 * The simulated local provisioner (an in-process stand-in for an external provisioner such as rancher's
 * local-path-provisioner, following sig-storage-lib-external-provisioner's ProvisionController). It ensures the
 * default `standard` StorageClass exists at start, provisions a hostPath PV (a path string only: SIMULATED, nothing
 * is created on disk) for each claim the PV controller hands to `kubelab.dev/local-path-simulated`, and deletes the
 * PV of a Released volume it made whose policy is Delete. Events as the library words them (Provisioning,
 * ProvisioningSucceeded, ProvisioningFailed) from the source `<provisioner>_<identity>`.
 */
import type { EventRecorder } from '../../client/events';
import { deletedObject, type Lister } from '../../client/informers';
import { isAlreadyExists, isNotFound, type ApiClient, type Obj } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import { claimClass } from '../persistentvolume/pv-match';
import { ANN_SELECTED_NODE, asClass, asPV, asPVC, type Node, type PersistentVolumeClaim, type StorageClass } from '../persistentvolume/types';
import { LOCAL_PROVISIONER_NAME, provisionedVolume, shouldDelete, shouldProvision, volumeNameFor } from './simulated-volume';
import { STANDARD_CLASS_NAME, standardStorageClass, type VolumeBindingMode } from './standard-class';

export interface LocalProvisionerOptions {
  /** Directory (a path string: nothing is created) under which volumes are named; the cluster's data dir. */
  basePath: string;
  /** volumeBindingMode of the `standard` class it creates. */
  volumeBindingMode: VolumeBindingMode;
  /** The ServiceAccount (kube-system) it writes as. */
  serviceAccount: string;
}

export const LOCAL_PROVISIONER_COMPONENT = `${LOCAL_PROVISIONER_NAME}_kubelab`;
const CLASS_KEY = 'storageclass';

export class LocalProvisionerController extends QueueController {
  private readonly client: ApiClient;
  private readonly recorder: EventRecorder;
  private readonly claims: Lister;
  private readonly volumes: Lister;
  private readonly classes: Lister;
  private readonly nodes: Lister;
  /** Claims (by uid) whose volume this controller has created (the informer may not show it yet). */
  private readonly provisioned = new Set<string>();
  private classWarned = false;

  constructor(
    ctx: ControllerContext,
    private readonly o: LocalProvisionerOptions,
  ) {
    super({ name: 'local-provisioner', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor(o.serviceAccount);
    this.recorder = ctx.recorderFor(LOCAL_PROVISIONER_COMPONENT, o.serviceAccount);
    this.claims = ctx.informers.listerFor(R.persistentvolumeclaims);
    this.volumes = ctx.informers.listerFor(R.persistentvolumes);
    this.classes = ctx.informers.listerFor(R.storageclasses);
    this.nodes = ctx.informers.listerFor(R.nodes);
    ctx.informers.informerFor(R.persistentvolumeclaims).addEventHandler({
      onAdd: (c) => this.enqueueKey(`claim:${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`),
      onUpdate: (_o, c) => this.enqueueKey(`claim:${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`),
      onDelete: (x) => this.provisioned.delete(deletedObject(x).metadata?.uid ?? ''),
    });
    ctx.informers.informerFor(R.persistentvolumes).addEventHandler({
      onAdd: (v) => this.enqueueKey(`volume:${v.metadata?.name ?? ''}`),
      onUpdate: (_o, v) => this.enqueueKey(`volume:${v.metadata?.name ?? ''}`),
    });
  }

  override run(n = 1): void {
    this.enqueueKey(CLASS_KEY);
    super.run(n);
  }

  protected async sync(key: string): Promise<void> {
    if (key === CLASS_KEY) return this.ensureStandardClass();
    if (key.startsWith('volume:')) return this.syncVolume(key.slice('volume:'.length));
    if (key.startsWith('claim:')) {
      const rest = key.slice('claim:'.length);
      const i = rest.indexOf('/');
      const cached = this.claims.get(rest.slice(0, i), rest.slice(i + 1));
      if (cached) await this.syncClaim(asPVC(cached));
    }
  }

  /** Creates `standard` when absent (once, at start); never updates it. */
  private async ensureStandardClass(): Promise<void> {
    if (this.classes.get('', STANDARD_CLASS_NAME)) return;
    try {
      await this.client.create(R.storageclasses, '', standardStorageClass(this.o.volumeBindingMode) as unknown as Obj);
      this.logger.info(`created the default StorageClass "${STANDARD_CLASS_NAME}" (provisioner ${LOCAL_PROVISIONER_NAME})`);
    } catch (e) {
      if (isAlreadyExists(e)) return;
      // Retried with the queue's backoff (up to 1000 s apart); said once at warn level.
      const msg = `cannot create the StorageClass "${STANDARD_CLASS_NAME}": ${e instanceof Error ? e.message : String(e)}`;
      if (this.classWarned) this.logger.debug(msg);
      else this.logger.warn(msg);
      this.classWarned = true;
      throw e;
    }
  }

  private async syncClaim(claim: PersistentVolumeClaim): Promise<void> {
    const uid = claim.metadata?.uid ?? '';
    const cachedClass = this.classes.get('', claimClass(claim));
    const cls = cachedClass ? asClass(cachedClass) : undefined;
    if (!cls || !shouldProvision(claim, cls)) return;
    if (this.provisioned.has(uid) || this.volumes.get('', volumeNameFor(claim))) return;
    const obj = claim as unknown as Record<string, unknown>;
    const key = `${claim.metadata?.namespace ?? ''}/${claim.metadata?.name ?? ''}`;
    let node: Node | undefined;
    const nodeName = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    if (nodeName) {
      const cachedNode = this.nodes.get('', nodeName);
      if (!cachedNode) {
        // The node is gone: give the claim back to the scheduler (ProvisioningReschedule).
        this.recorder.event(obj, 'Warning', 'ProvisioningFailed', `node "${nodeName}" not found`);
        await this.unselectNode(claim);
        return;
      }
      node = cachedNode as unknown as Node;
    }
    this.recorder.event(obj, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
    const failed = (why: string) => this.recorder.event(obj, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata?.name ?? ''}": ${why}`);
    if (claim.spec?.selector) {
      failed('claim.Spec.Selector is not supported');
      return;
    }
    const pv = provisionedVolume(claim, cls as StorageClass, node, this.o.basePath);
    try {
      await this.client.create(R.persistentvolumes, '', pv as unknown as Obj);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        failed(e instanceof Error ? e.message : String(e));
        throw e;
      }
    }
    this.provisioned.add(uid);
    this.recorder.event(obj, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata?.name ?? ''}`);
  }

  private async unselectNode(claim: PersistentVolumeClaim): Promise<void> {
    const c = structuredClone(claim) as PersistentVolumeClaim & { metadata: { annotations: Record<string, string> } };
    delete c.metadata.annotations[ANN_SELECTED_NODE];
    try {
      await this.client.update(R.persistentvolumeclaims, c.metadata.namespace ?? '', c as unknown as Obj);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Deletes the (simulated) storage asset — nothing to do on disk — then the PV object. */
  private async syncVolume(name: string): Promise<void> {
    const cached = this.volumes.get('', name);
    if (!cached || !shouldDelete(asPV(cached))) return;
    try {
      await this.client.delete(R.persistentvolumes, '', name, { preconditions: { uid: cached.metadata?.uid ?? '' } });
      this.logger.debug(`deleted volume ${name}`);
    } catch (e) {
      if (isNotFound(e)) return;
      this.recorder.event(cached as unknown as Record<string, unknown>, 'Warning', 'VolumeFailedDelete', e instanceof Error ? e.message : String(e));
      throw e;
    }
  }
}
