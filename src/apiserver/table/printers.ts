/**
 * Which printer serves which built-in resource, keyed `<group>/<resource>`. Resources absent here (roles,
 * clusterroles, limitranges, customresourcedefinitions, and any other) get the default NAME / CREATED AT table,
 * exactly as upstream registers no printer for them.
 */
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps';
import { hpaPrinter, pdbPrinter } from './autoscaling-policy';
import { cronJobPrinter, jobPrinter } from './batch';
import { leasePrinter, priorityClassPrinter } from './coordination-scheduling';
import { componentStatusPrinter, configMapPrinter, namespacePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter } from './core-config';
import { endpointsPrinter, servicePrinter } from './core-network';
import { podTemplatePrinter, replicationControllerPrinter } from './core-workloads';
import { eventPrinter } from './events';
import { endpointSlicePrinter, ingressClassPrinter, ingressPrinter } from './networking';
import { nodePrinter } from './nodes';
import { podPrinter } from './pods';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage';
import type { PrinterMap, TablePrinter } from './types';

const entries: [string, TablePrinter][] = [
  ['/namespaces', namespacePrinter],
  ['/pods', podPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/nodes', nodePrinter],
  ['/events', eventPrinter],
  ['events.k8s.io/events', eventPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/persistentvolumes', persistentVolumePrinter],
  ['/persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['/podtemplates', podTemplatePrinter],
  ['/componentstatuses', componentStatusPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['autoscaling/horizontalpodautoscalers', hpaPrinter],
  ['policy/poddisruptionbudgets', pdbPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['networking.k8s.io/ingresses', ingressPrinter],
  ['networking.k8s.io/ingressclasses', ingressClassPrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['storage.k8s.io/storageclasses', storageClassPrinter],
];

export const BUILTIN_PRINTERS: PrinterMap = new Map(entries);

export function printerKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}
