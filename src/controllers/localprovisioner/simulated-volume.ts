/**
 * The simulated local-path provisioner's volumes (modelled on rancher's local-path-provisioner, which kind ships,
 * and minikube's hostpath storage-provisioner). SIMULATED: no directory is created or removed anywhere — the PV only
 * names a path string, `<basePath>/pvc-<claim uid>_<namespace>_<claim name>`, as a hostPath (type DirectoryOrCreate)
 * volume. With a selected node (WaitForFirstConsumer) the PV is pinned to that node by required node affinity on
 * `kubernetes.io/hostname`; without one (Immediate classes) it has none, as minikube's provisioner does.
 * Pure functions: the PV to create for a claim, and whether a claim or volume is this provisioner's to act on.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '../persistentvolume/types';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
} from '../persistentvolume/types';

/** The provisioner name StorageClasses use to ask for simulated local volumes. */
export const LOCAL_PROVISIONER_NAME = 'kubelab.dev/local-path-simulated';
/** Where the (simulated) volumes live when the cluster does not say: local-path-provisioner's default. */
export const DEFAULT_BASE_PATH = '/opt/local-path-provisioner';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The provisioner a claim waits for (the GA annotation, else the beta one). */
export function claimProvisioner(claim: PersistentVolumeClaim): string | undefined {
  const a = claim.metadata?.annotations ?? {};
  return a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER];
}

/**
 * shouldProvision (sig-storage-lib-external-provisioner): unbound, waiting for this provisioner, of a class of this
 * provisioner, and — for WaitForFirstConsumer classes — with a selected node.
 */
export function shouldProvision(claim: PersistentVolumeClaim, cls: StorageClass | undefined): boolean {
  if (claim.spec?.volumeName) return false;
  if (claimProvisioner(claim) !== LOCAL_PROVISIONER_NAME) return false;
  if (!cls || cls.provisioner !== LOCAL_PROVISIONER_NAME) return false;
  if (cls.volumeBindingMode === 'WaitForFirstConsumer') return !!claim.metadata?.annotations?.[ANN_SELECTED_NODE];
  return true;
}

/** shouldDelete: a Released volume this provisioner made, whose reclaim policy is Delete. */
export function shouldDelete(volume: PersistentVolume): boolean {
  if (volume.metadata?.deletionTimestamp) return false;
  if (volume.status?.phase !== 'Released') return false;
  if (volume.spec?.persistentVolumeReclaimPolicy !== 'Delete') return false;
  return volume.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED] === LOCAL_PROVISIONER_NAME;
}

export function volumeNameFor(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata?.uid ?? ''}`;
}

/** The simulated directory of a claim's volume (a path string only). */
export function volumePath(basePath: string, claim: PersistentVolumeClaim): string {
  const base = basePath.replace(/\/+$/, '');
  return `${base}/${volumeNameFor(claim)}_${claim.metadata?.namespace ?? ''}_${claim.metadata?.name ?? ''}`;
}

/** The PV for a claim: capacity = the request, bound (claimRef) to the claim, the class's policy and options. */
export function provisionedVolume(claim: PersistentVolumeClaim, cls: StorageClass, node: Node | undefined, basePath: string): PersistentVolume {
  const spec: NonNullable<PersistentVolume['spec']> = {
    accessModes: claim.spec?.accessModes,
    capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
    claimRef: {
      kind: 'PersistentVolumeClaim',
      namespace: claim.metadata?.namespace,
      name: claim.metadata?.name,
      uid: claim.metadata?.uid,
      apiVersion: 'v1',
      resourceVersion: claim.metadata?.resourceVersion,
    },
    hostPath: { path: volumePath(basePath, claim), type: 'DirectoryOrCreate' },
    persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
    storageClassName: cls.metadata?.name,
    volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
  };
  if (cls.mountOptions?.length) spec.mountOptions = cls.mountOptions;
  if (node) {
    const host = node.metadata?.labels?.[HOSTNAME_LABEL] ?? node.metadata?.name ?? '';
    spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [host] }] }] } };
  }
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(claim), annotations: { [ANN_DYNAMICALLY_PROVISIONED]: LOCAL_PROVISIONER_NAME } },
    spec,
  };
}
