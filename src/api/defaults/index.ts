/**
 * `defaultObject(gvk, obj)`: upstream's defaulting for a built-in kind, in place (what kube-apiserver applies when
 * it decodes a request body, on create and on update). Unknown kinds and custom resources are left unchanged.
 * Defaults are applied only where a field is absent; running it twice changes nothing more.
 *
 * Server-side values that upstream sets outside defaulting (namespace finalizer, Job selector, pod priority, service
 * IP families) are in create-hooks.ts and must be called by the registry/admission at the right time.
 */
import type { GroupVersionKind, KubeObject } from '../object';
import * as misc from './misc';
import { defaultPod } from './pod';
import * as svc from './service';
import * as vol from './volumes';
import * as w from './workloads';
import type { Obj } from './util';

const TABLE: Record<string, (o: Obj) => void> = {
  '/Pod': defaultPod,
  '/PodTemplate': w.defaultPodTemplateObject,
  '/ReplicationController': w.defaultReplicationController,
  '/Service': svc.defaultService,
  '/Endpoints': svc.defaultEndpoints,
  '/Namespace': misc.defaultNamespace,
  '/Secret': misc.defaultSecret,
  '/Node': misc.defaultNode,
  '/PersistentVolume': vol.defaultPersistentVolume,
  '/PersistentVolumeClaim': vol.defaultPersistentVolumeClaim,
  '/LimitRange': misc.defaultLimitRange,
  '/ResourceQuota': misc.defaultResourceQuota,
  'apps/Deployment': w.defaultDeployment,
  'apps/ReplicaSet': w.defaultReplicaSet,
  'apps/StatefulSet': w.defaultStatefulSet,
  'apps/DaemonSet': w.defaultDaemonSet,
  'batch/Job': w.defaultJob,
  'batch/CronJob': w.defaultCronJob,
  'discovery.k8s.io/EndpointSlice': svc.defaultEndpointSlice,
  'rbac.authorization.k8s.io/RoleBinding': misc.defaultRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': misc.defaultRoleBinding,
  'scheduling.k8s.io/PriorityClass': misc.defaultPriorityClass,
  'storage.k8s.io/StorageClass': vol.defaultStorageClass,
  'apiextensions.k8s.io/CustomResourceDefinition': misc.defaultCRD,
};

/** Whether `defaultObject` has defaults for the kind. */
export function hasDefaults(gvk: GroupVersionKind): boolean {
  return `${gvk.group}/${gvk.kind}` in TABLE;
}

export function defaultObject(gvk: GroupVersionKind, obj: KubeObject): void {
  TABLE[`${gvk.group}/${gvk.kind}`]?.(obj as Obj);
}

export { defaultPullPolicy, parseImageRef } from './image';
export {
  applyPodPriority,
  defaultServiceIPFamilies,
  generateJobSelector,
  normalizeServiceClusterIPs,
  prepareNamespaceForCreate,
  type ResolvedPriority,
} from './create-hooks';
