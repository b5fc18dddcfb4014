/**
 * The admission chain, as kube-apiserver runs it for a write: every mutating plugin whose `handles(attrs)` is true,
 * in order (each sees the previous one's changes to `attrs.object`), then `validate()` — the schema and semantic
 * validation of the mutated object — then every validating plugin that handles the request, in order. The first
 * throw stops the chain and propagates unchanged (StatusErrors reach the client as they are; the server turns any
 * other error into a 500).
 *
 * `UPSTREAM_ADMISSION_ORDER` is kube-apiserver's AllOrderedPlugins: whatever order plugins are enabled in, they run
 * in this order. `orderAdmissionPlugins` sorts plugin instances by it and splits them into the two phases (a plugin
 * with both `admit` and `validate`, such as LimitRanger or Priority, runs in both).
 */
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin, ValidatingPlugin } from './types';

export interface AdmissionPlugins {
  mutating: MutatingPlugin[];
  validating: ValidatingPlugin[];
}

export type AnyAdmissionPlugin = MutatingPlugin | ValidatingPlugin | (MutatingPlugin & ValidatingPlugin);

/** pkg/kubeapiserver/options/plugins.go AllOrderedPlugins. */
export const UPSTREAM_ADMISSION_ORDER: readonly string[] = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  'PodTopologyLabels',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
];

export function isMutating(p: AnyAdmissionPlugin): p is MutatingPlugin {
  return typeof (p as Partial<MutatingPlugin>).admit === 'function';
}

export function isValidating(p: AnyAdmissionPlugin): p is ValidatingPlugin {
  return typeof (p as Partial<ValidatingPlugin>).validate === 'function';
}

/** Sorts plugins into upstream's order (unknown names last, in the given order) and splits them into the phases. */
export function orderAdmissionPlugins(plugins: readonly AnyAdmissionPlugin[]): AdmissionPlugins {
  const rank = (p: AnyAdmissionPlugin): number => {
    const i = UPSTREAM_ADMISSION_ORDER.indexOf(p.name);
    return i < 0 ? UPSTREAM_ADMISSION_ORDER.length : i;
  };
  const sorted = plugins.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
  return { mutating: sorted.filter(isMutating), validating: sorted.filter(isValidating) };
}

export async function runAdmission(
  plugins: AdmissionPlugins,
  attrs: AdmissionAttributes,
  ctx: AdmissionContext,
  validate: () => void | Promise<void>,
): Promise<void> {
  for (const p of plugins.mutating) if (p.handles(attrs)) await p.admit(attrs, ctx);
  await validate();
  for (const p of plugins.validating) if (p.handles(attrs)) await p.validate(attrs, ctx);
}
