/**
 * Dynamic provisioning as the PV controller starts it (upstream assignDefaultStorageClass, provisionClaim,
 * findProvisionablePlugin, provisionClaimOperationExternal, setClaimProvisioner). KubeLab has no in-tree
 * (`kubernetes.io/…`) provisioner plugins, so every class's provisioner is either external — the claim gets the
 * `volume.kubernetes.io/storage-provisioner` (and beta) annotation naming it, and an ExternalProvisioning event,
 * and waits for that provisioner to create a PV pre-bound to it — or an unknown in-tree name (ProvisioningFailed).
 */
import { isNotFound } from '../framework/api-client';
import { copy, saveClaim, setAnnotation, type BinderDeps } from './binder-deps';
import { claimClass, claimHasClass } from './pv-match';
import {
  ANN_BETA_IS_DEFAULT_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_IS_DEFAULT_CLASS,
  ANN_STORAGE_PROVISIONER,
  asClass,
  EV,
  type PersistentVolumeClaim,
  type StorageClass,
} from './types';

/** storageutil.IsDefaultAnnotation. */
export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[ANN_IS_DEFAULT_CLASS] === 'true' || a[ANN_BETA_IS_DEFAULT_CLASS] === 'true';
}

/** util.GetDefaultClass: the newest default class, ties to the smaller name. */
export function defaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const t = (c: StorageClass) => {
    const v = Date.parse(c.metadata?.creationTimestamp ?? '');
    return Number.isNaN(v) ? 0 : v;
  };
  const n = (c: StorageClass) => c.metadata?.name ?? '';
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => t(b) - t(a) || (n(a) < n(b) ? -1 : n(a) > n(b) ? 1 : 0))[0];
}

/** Retroactive default class: a claim that asked for no class at all gets the default one. True when saved. */
export async function assignDefaultStorageClass(d: BinderDeps, claim: PersistentVolumeClaim): Promise<boolean> {
  if (claimHasClass(claim)) return false;
  const cls = defaultClass(d.classes.list().map(asClass));
  if (!cls) return false;
  const c = copy(claim);
  c.spec ??= {};
  c.spec.storageClassName = cls.metadata?.name;
  await saveClaim(d, c);
  return true;
}

/** setClaimProvisioner: both provisioner annotations on the claim. */
async function setClaimProvisioner(d: BinderDeps, claim: PersistentVolumeClaim, provisioner: string): Promise<PersistentVolumeClaim> {
  if (claim.metadata?.annotations?.[ANN_STORAGE_PROVISIONER] === provisioner) return claim;
  const c = copy(claim);
  setAnnotation(c, ANN_BETA_STORAGE_PROVISIONER, provisioner);
  setAnnotation(c, ANN_STORAGE_PROVISIONER, provisioner);
  return saveClaim(d, c);
}

/** provisionClaim for a claim with a class: hands it to the class's (external) provisioner. */
export async function provisionClaim(d: BinderDeps, claim: PersistentVolumeClaim): Promise<void> {
  const name = claimClass(claim);
  const cached = d.classes.get('', name);
  const obj = claim as unknown as Record<string, unknown>;
  if (!cached) {
    // Upstream: the lister's NotFound error, as a ProvisioningFailed event; retried at the next sync.
    d.recorder.event(obj, 'Warning', EV.ProvisioningFailed, `storageclass.storage.k8s.io "${name}" not found`);
    return;
  }
  const provisioner = asClass(cached).provisioner ?? '';
  if (provisioner.startsWith('kubernetes.io/')) {
    // FindProvisionablePluginByName: KubeLab runs no in-tree provisioner plugins.
    d.recorder.event(obj, 'Warning', EV.ProvisioningFailed, `no volume plugin matched name: ${provisioner}`);
    return;
  }
  let c: PersistentVolumeClaim;
  try {
    c = await setClaimProvisioner(d, claim, provisioner);
  } catch (e) {
    if (isNotFound(e)) return;
    d.recorder.event(obj, 'Warning', EV.ProvisioningFailed, `Error saving claim: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  d.recorder.event(
    c as unknown as Record<string, unknown>,
    'Normal',
    EV.ExternalProvisioning,
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  );
}
