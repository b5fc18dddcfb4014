/**
 * The PersistentVolume controller (upstream pkg/controller/volume/persistentvolume, "persistentvolume-binder"):
 * binds PersistentVolumeClaims to PersistentVolumes, hands claims to their class's provisioner, and runs a released
 * volume's reclaim policy. One queue carries claim keys (`claim:<ns>/<name>`) and volume keys (`volume:<name>`);
 * informer handlers only enqueue, a deleted claim queues its volume and a deleted volume its claim. Like upstream,
 * every claim and volume is synced again every 15 s (--pvclaimbinder-sync-period): that is when a pending claim
 * finds a volume created after it. Writes go through the `persistent-volume-binder` ServiceAccount, Events come
 * from `persistentvolume-controller`.
 */
import { deletedObject, type CachedObject, type DeletedFinalStateUnknown } from '../../client/informers';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import type { BinderDeps } from './binder-deps';
import { syncClaim } from './claim-sync';
import { NewestCache } from './newest-cache';
import { asPV, asPVC } from './types';
import { syncVolume } from './volume-sync';

export const PV_BINDER_SA = 'persistent-volume-binder';
export const PV_CONTROLLER_COMPONENT = 'persistentvolume-controller';
/** --pvclaimbinder-sync-period default. */
export const PV_RESYNC_MS = 15_000;

const RESYNC_KEY = 'resync';
const claimKeyOf = (ns: string, name: string) => `claim:${ns}/${name}`;
const volumeKeyOf = (name: string) => `volume:${name}`;

export class PersistentVolumeController extends QueueController {
  private readonly deps: BinderDeps;
  private readonly volumes: NewestCache;
  private readonly claims: NewestCache;

  constructor(ctx: ControllerContext) {
    super({ name: 'persistentvolume-binder', logger: ctx.logger, clock: ctx.clock });
    this.volumes = new NewestCache(ctx.informers.listerFor(R.persistentvolumes));
    this.claims = new NewestCache(ctx.informers.listerFor(R.persistentvolumeclaims));
    this.deps = {
      client: ctx.clientFor(PV_BINDER_SA),
      recorder: ctx.recorderFor(PV_CONTROLLER_COMPONENT, PV_BINDER_SA),
      volumes: this.volumes,
      claims: this.claims,
      classes: ctx.informers.listerFor(R.storageclasses),
      pods: ctx.informers.listerFor(R.pods),
      logger: ctx.logger,
      enqueueClaim: (ns, name) => this.enqueueKey(claimKeyOf(ns, name)),
    };
    const volumeKey = (o: CachedObject) => volumeKeyOf(o.metadata?.name ?? '');
    const claimKey = (o: CachedObject) => claimKeyOf(o.metadata?.namespace ?? '', o.metadata?.name ?? '');
    ctx.informers.informerFor(R.persistentvolumes).addEventHandler({
      onAdd: (o) => this.enqueueKey(volumeKey(o)),
      onUpdate: (_o, n) => this.enqueueKey(volumeKey(n)),
      onDelete: (x: CachedObject | DeletedFinalStateUnknown) => {
        const v = asPV(deletedObject(x));
        this.volumes.forget('', v.metadata?.name ?? '');
        const ref = v.spec?.claimRef;
        if (ref) this.enqueueKey(claimKeyOf(ref.namespace ?? '', ref.name ?? ''));
      },
    });
    ctx.informers.informerFor(R.persistentvolumeclaims).addEventHandler({
      onAdd: (o) => this.enqueueKey(claimKey(o)),
      onUpdate: (_o, n) => this.enqueueKey(claimKey(n)),
      onDelete: (x: CachedObject | DeletedFinalStateUnknown) => {
        const c = asPVC(deletedObject(x));
        this.claims.forget(c.metadata?.namespace ?? '', c.metadata?.name ?? '');
        if (c.spec?.volumeName) this.enqueueKey(volumeKeyOf(c.spec.volumeName));
      },
    });
  }

  override run(n = 1): void {
    super.run(n);
    this.enqueueAfter(RESYNC_KEY, PV_RESYNC_MS);
  }

  protected async sync(key: string): Promise<void> {
    if (key === RESYNC_KEY) {
      for (const c of this.claims.list()) this.enqueueKey(claimKeyOf(c.metadata?.namespace ?? '', c.metadata?.name ?? ''));
      for (const v of this.volumes.list()) this.enqueueKey(volumeKeyOf(v.metadata?.name ?? ''));
      this.enqueueAfter(RESYNC_KEY, PV_RESYNC_MS);
      return;
    }
    if (key.startsWith('volume:')) {
      const v = this.volumes.get('', key.slice('volume:'.length));
      if (v) await syncVolume(this.deps, asPV(v));
      return;
    }
    if (key.startsWith('claim:')) {
      const rest = key.slice('claim:'.length);
      const i = rest.indexOf('/');
      const c = this.claims.get(rest.slice(0, i), rest.slice(i + 1));
      if (c) await syncClaim(this.deps, asPVC(c));
    }
  }
}
