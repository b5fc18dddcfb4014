/** The PersistentVolume binder's factory (upstream controller name `persistentvolume-binder`; one worker, as upstream's single claim/volume workers). */
import type { ControllerFactory } from '../manager';
import { PersistentVolumeController } from './persistentvolume-controller';

export const persistentVolumeBinderControllerFactory: ControllerFactory = {
  name: 'persistentvolume-binder',
  workers: 1,
  build: (ctx) => new PersistentVolumeController(ctx),
};

export { PersistentVolumeController, PV_BINDER_SA, PV_CONTROLLER_COMPONENT, PV_RESYNC_MS } from './persistentvolume-controller';
export { findBestMatchForClaim, findMatchingVolume, checkVolumeSatisfyClaim, accessModesKey } from './pv-match';
export { defaultClass, isDefaultClass } from './provision';
export * from './types';
