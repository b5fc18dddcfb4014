/**
 * The simulated local provisioner's factory (`local-provisioner`, one worker). Writes as the ServiceAccount
 * kube-system/kubelab-local-provisioner, bound to KubeLab's add-on role `kubelab:local-provisioner`
 * (upstream's persistent-volume-provisioner rules plus creating the `standard` StorageClass).
 */
import { LOCAL_PROVISIONER_SERVICE_ACCOUNT } from '../../apiserver/authz/bootstrap-addon-roles';
import type { ControllerFactory } from '../manager';
import { LocalProvisionerController, type LocalProvisionerOptions } from './local-provisioner-controller';
import { DEFAULT_BASE_PATH } from './simulated-volume';

export function newLocalProvisionerControllerFactory(o: Partial<LocalProvisionerOptions> = {}): ControllerFactory {
  const options: LocalProvisionerOptions = {
    basePath: o.basePath ?? DEFAULT_BASE_PATH,
    volumeBindingMode: o.volumeBindingMode ?? 'WaitForFirstConsumer',
    serviceAccount: o.serviceAccount ?? LOCAL_PROVISIONER_SERVICE_ACCOUNT,
  };
  return { name: 'local-provisioner', workers: 1, build: (ctx) => new LocalProvisionerController(ctx, options) };
}

export const localProvisionerControllerFactory: ControllerFactory = newLocalProvisionerControllerFactory();

export { LocalProvisionerController, LOCAL_PROVISIONER_COMPONENT, type LocalProvisionerOptions } from './local-provisioner-controller';
export { LOCAL_PROVISIONER_NAME, DEFAULT_BASE_PATH, provisionedVolume, shouldDelete, shouldProvision, volumePath } from './simulated-volume';
export { STANDARD_CLASS_NAME, standardStorageClass, type VolumeBindingMode } from './standard-class';
