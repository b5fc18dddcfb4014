/**
 * Every controller KubeLab's controller manager runs (kube-controller-manager's default set, as far as built),
 * by upstream name, and the subset a cluster needs before anything else works (ServiceAccounts for admission, the
 * root CA ConfigMap for token volumes, aggregated ClusterRoles for RBAC).
 */
import type { ControllerFactory } from './manager';
import { clusterRoleAggregationControllerFactory } from './clusterrole-aggregation/clusterrole-aggregation-controller';
import { replicaSetControllerFactory } from './replicaset';
import { replicationControllerFactory } from './replication';
import { resourceQuotaControllerFactory } from './resourcequota/resource-quota-controller';
import { rootCaPublisherFactory } from './root-ca-publisher/root-ca-publisher';
import { serviceAccountsControllerFactory } from './serviceaccounts/serviceaccounts-controller';
import { statefulSetControllerFactory } from './statefulset';

export const ESSENTIAL_CONTROLLERS: readonly string[] = ['serviceaccount', 'root-ca-cert-publisher', 'clusterrole-aggregation'];

export interface RegistryOptions {
  /** The cluster CA (PEM) the root CA publisher distributes. */
  caPem: string;
}

export function allControllerFactories(o: RegistryOptions): ControllerFactory[] {
  return [
    serviceAccountsControllerFactory,
    rootCaPublisherFactory(o.caPem),
    clusterRoleAggregationControllerFactory,
    replicaSetControllerFactory,
    replicationControllerFactory,
    resourceQuotaControllerFactory,
    statefulSetControllerFactory,
  ];
}

/** The factories named in `names` (upstream `--controllers` names; `*` = all), or an error naming unknown ones. */
export function selectControllers(o: RegistryOptions, names: readonly string[] | undefined): ControllerFactory[] {
  const all = allControllerFactories(o);
  if (!names || names.includes('*')) return all;
  const known = new Set(all.map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new Error(`unknown controllers: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return all.filter((f) => names.includes(f.name));
}
