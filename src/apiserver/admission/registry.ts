/**
 * The admission plugins KubeLab implements, by upstream name, and how a configured list of names (kube-apiserver's
 * --enable-admission-plugins) becomes plugin instances. Whatever order names are given in, plugins run in upstream's
 * order (chain.ts UPSTREAM_ADMISSION_ORDER). `defaultAdmissionOrder` is upstream's default-enabled set restricted to
 * the plugins implemented here, plus NodeRestriction (which kubeadm clusters enable).
 * Unknown names throw AdmissionConfigError with upstream's `enable-admission-plugins plugin "X" is unknown` (and a
 * plain note for names upstream has but KubeLab does not implement).
 */
import { orderAdmissionPlugins, UPSTREAM_ADMISSION_ORDER, type AdmissionPlugins, type AnyAdmissionPlugin } from './chain';
import { createDefaultIngressClassPlugin } from './default-ingress-class';
import { createDefaultStorageClassPlugin } from './default-storage-class';
import { createDefaultTolerationSecondsPlugin, type DefaultTolerationSecondsOptions } from './default-toleration-seconds';
import { createLimitRangerPlugin } from './limit-ranger';
import { createNamespaceLifecyclePlugin, type NamespaceLifecycleOptions } from './namespace-lifecycle';
import { createNodeRestrictionPlugin } from './node-restriction';
import { createPodSecurityPlugin, type PodSecurityOptions } from './pod-security';
import { createPriorityPlugin } from './priority';
import { createResourceQuotaPlugin, type ResourceQuotaOptions } from './resource-quota';
import { createServiceAccountPlugin, type ServiceAccountOptions } from './service-account';

/** Per-plugin options, by plugin name. */
export interface AdmissionPluginConfig {
  NamespaceLifecycle?: NamespaceLifecycleOptions;
  LimitRanger?: undefined;
  ServiceAccount?: ServiceAccountOptions;
  NodeRestriction?: undefined;
  PodSecurity?: PodSecurityOptions;
  Priority?: undefined;
  DefaultTolerationSeconds?: DefaultTolerationSecondsOptions;
  DefaultStorageClass?: undefined;
  DefaultIngressClass?: undefined;
  ResourceQuota?: ResourceQuotaOptions;
}

export type AdmissionPluginName = keyof AdmissionPluginConfig;

type Factories = { [K in AdmissionPluginName]: (opts?: AdmissionPluginConfig[K]) => AnyAdmissionPlugin };

export const admissionPluginsByName: Readonly<Factories> = {
  NamespaceLifecycle: (opts) => createNamespaceLifecyclePlugin(opts),
  LimitRanger: () => createLimitRangerPlugin(),
  ServiceAccount: (opts) => createServiceAccountPlugin(opts),
  NodeRestriction: () => createNodeRestrictionPlugin(),
  PodSecurity: (opts) => createPodSecurityPlugin(opts),
  Priority: () => createPriorityPlugin(),
  DefaultTolerationSeconds: (opts) => createDefaultTolerationSecondsPlugin(opts),
  DefaultStorageClass: () => createDefaultStorageClassPlugin(),
  DefaultIngressClass: () => createDefaultIngressClassPlugin(),
  ResourceQuota: (opts) => createResourceQuotaPlugin(opts),
};

/** The plugins enabled when none are configured, in the order they run. */
export const defaultAdmissionOrder: readonly AdmissionPluginName[] = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'PodSecurity',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'DefaultIngressClass',
  'ResourceQuota',
];

export class AdmissionConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
    this.name = 'AdmissionConfigError';
  }
}

export function isAdmissionPluginName(name: string): name is AdmissionPluginName {
  return Object.prototype.hasOwnProperty.call(admissionPluginsByName, name);
}

/** Instances for the named plugins (duplicates once), split into phases and in upstream's order. */
export function resolveAdmissionPlugins(names: readonly string[] = defaultAdmissionOrder, config: AdmissionPluginConfig = {}): AdmissionPlugins {
  const errors: string[] = [];
  const instances: AnyAdmissionPlugin[] = [];
  for (const name of new Set(names)) {
    if (isAdmissionPluginName(name)) {
      const factory = admissionPluginsByName[name] as (opts?: unknown) => AnyAdmissionPlugin;
      instances.push(factory(config[name]));
    } else if (UPSTREAM_ADMISSION_ORDER.includes(name)) {
      errors.push(`enable-admission-plugins plugin "${name}" is not implemented by KubeLab (available: ${Object.keys(admissionPluginsByName).join(', ')})`);
    } else {
      errors.push(`enable-admission-plugins plugin ${JSON.stringify(name)} is unknown`);
    }
  }
  if (errors.length) throw new AdmissionConfigError(errors);
  return orderAdmissionPlugins(instances);
}
