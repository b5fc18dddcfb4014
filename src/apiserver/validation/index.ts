/**
 * The validation dispatcher: `validateCreate`, `validateUpdate` and `validateStatusUpdate` route a built-in kind to
 * its upstream-equivalent validator and return field errors in upstream's order and wording (StatusError.invalid
 * turns them into the 422). Objects must already be defaulted (as upstream validates after defaulting); an unknown
 * kind (e.g. a custom resource) returns no errors here — use `validateCustomResourceMeta` plus schema validation.
 *
 * Contract: validators never mutate their inputs and never throw, whatever JSON they get (a missing or mistyped
 * field reads as Go's zero value; a non-object reads as `{}`). Update validation includes create-time rules where upstream
 * does, and the strategies' extra rules (apps/v1 selector immutability). Registries run allocation (Service
 * clusterIPs and node ports, Job selector generation) before calling these.
 */
import type { FieldError } from '../../api/field-errors';
import type { GroupVersionKind, KubeObject } from '../../api/object';
import { obj, type Obj } from './access';
import { nameIsDNSSubdomain } from './formats';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import * as apps from './apps-deployment';
import * as sets from './apps-sets';
import * as batch from './batch';
import * as cfg from './config-objects';
import * as cluster from './cluster-config';
import * as crd from './crd';
import * as es from './endpoint-slice';
import * as ev from './event';
import * as ing from './ingress';
import * as nn from './namespace-node';
import * as pdb from './pdb';
import * as pv from './persistent-volume';
import * as pod from './pod';
import { validatePodUpdate } from './pod-update';
import * as quota from './quota';
import * as rbac from './rbac';
import * as rc from './replication-controller';
import * as svc from './service';

type Create = (o: Obj) => FieldError[];
type Update = (o: Obj, old: Obj) => FieldError[];

interface KindValidation {
  create: Create;
  update: Update;
  /** The status subresource's update validation (ValidateObjectMetaUpdate when absent). */
  status?: Update;
}

const metaUpdate: Update = (o, old) => validateObjectMetaUpdate(o.metadata, old.metadata);

const TABLE: Record<string, KindValidation> = {
  '/Pod': { create: pod.validatePodCreate, update: validatePodUpdate, status: pod.validatePodStatusUpdate },
  '/PodTemplate': { create: pod.validatePodTemplate, update: pod.validatePodTemplateUpdate },
  '/ReplicationController': { create: rc.validateReplicationController, update: rc.validateReplicationControllerUpdate, status: rc.validateReplicationControllerStatusUpdate },
  '/Service': { create: svc.validateService, update: svc.validateServiceUpdate, status: svc.validateServiceStatusUpdate },
  '/Endpoints': { create: svc.validateEndpoints, update: svc.validateEndpointsUpdate },
  '/ConfigMap': { create: cfg.validateConfigMap, update: cfg.validateConfigMapUpdate },
  '/Secret': { create: cfg.validateSecret, update: cfg.validateSecretUpdate },
  '/ServiceAccount': { create: cfg.validateServiceAccount, update: cfg.validateServiceAccountUpdate },
  '/Namespace': { create: nn.validateNamespace, update: nn.validateNamespaceUpdate, status: nn.validateNamespaceStatusUpdate },
  '/Node': { create: nn.validateNode, update: nn.validateNodeUpdate, status: nn.validateNodeUpdate },
  '/PersistentVolume': { create: pv.validatePersistentVolume, update: pv.validatePersistentVolumeUpdate, status: pv.validatePersistentVolumeStatusUpdate },
  '/PersistentVolumeClaim': {
    create: pv.validatePersistentVolumeClaim,
    update: pv.validatePersistentVolumeClaimUpdate,
    status: pv.validatePersistentVolumeClaimStatusUpdate,
  },
  '/LimitRange': { create: quota.validateLimitRange, update: quota.validateLimitRangeUpdate },
  '/ResourceQuota': { create: quota.validateResourceQuota, update: quota.validateResourceQuotaUpdate, status: quota.validateResourceQuotaStatusUpdate },
  '/Event': { create: ev.validateCoreEvent, update: ev.validateCoreEvent },
  'events.k8s.io/Event': { create: ev.validateEventsV1Event, update: ev.validateEventsV1EventUpdate },
  'apps/Deployment': { create: apps.validateDeployment, update: apps.validateDeploymentUpdate, status: apps.validateDeploymentStatusUpdate },
  'apps/ReplicaSet': { create: apps.validateReplicaSet, update: apps.validateReplicaSetUpdate, status: apps.validateReplicaSetStatusUpdate },
  'apps/StatefulSet': { create: sets.validateStatefulSet, update: sets.validateStatefulSetUpdate, status: sets.validateStatefulSetStatusUpdate },
  'apps/DaemonSet': { create: sets.validateDaemonSet, update: sets.validateDaemonSetUpdate, status: sets.validateDaemonSetStatusUpdate },
  'apps/ControllerRevision': { create: sets.validateControllerRevision, update: sets.validateControllerRevisionUpdate },
  'batch/Job': { create: (j) => batch.validateJob(j), update: batch.validateJobUpdate, status: batch.validateJobStatusUpdate },
  'batch/CronJob': { create: batch.validateCronJob, update: batch.validateCronJobUpdate },
  'coordination.k8s.io/Lease': { create: cluster.validateLease, update: cluster.validateLeaseUpdate },
  'discovery.k8s.io/EndpointSlice': { create: es.validateEndpointSlice, update: es.validateEndpointSliceUpdate },
  'networking.k8s.io/Ingress': { create: ing.validateIngress, update: ing.validateIngressUpdate, status: ing.validateIngressStatusUpdate },
  'networking.k8s.io/IngressClass': { create: ing.validateIngressClass, update: ing.validateIngressClassUpdate },
  'rbac.authorization.k8s.io/Role': { create: rbac.validateRole, update: rbac.validateRoleUpdate },
  'rbac.authorization.k8s.io/ClusterRole': { create: rbac.validateClusterRole, update: rbac.validateClusterRoleUpdate },
  'rbac.authorization.k8s.io/RoleBinding': { create: rbac.validateRoleBinding, update: rbac.validateRoleBindingUpdate },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { create: rbac.validateClusterRoleBinding, update: rbac.validateClusterRoleBindingUpdate },
  'policy/PodDisruptionBudget': { create: pdb.validatePodDisruptionBudget, update: pdb.validatePodDisruptionBudgetUpdate, status: pdb.validatePodDisruptionBudgetStatusUpdate },
  'scheduling.k8s.io/PriorityClass': { create: cluster.validatePriorityClass, update: cluster.validatePriorityClassUpdate },
  'storage.k8s.io/StorageClass': { create: cluster.validateStorageClass, update: cluster.validateStorageClassUpdate },
  'apiextensions.k8s.io/CustomResourceDefinition': { create: crd.validateCRD, update: crd.validateCRDUpdate, status: crd.validateCRDStatusUpdate },
};

function lookup(gvk: GroupVersionKind): KindValidation | undefined {
  return TABLE[`${gvk.group}/${gvk.kind}`];
}

/** Whether this module knows the kind (false for custom resources). */
export function hasValidation(gvk: GroupVersionKind): boolean {
  return lookup(gvk) !== undefined;
}

export function validateCreate(gvk: GroupVersionKind, o: KubeObject): FieldError[] {
  return lookup(gvk)?.create(obj(o)) ?? [];
}

export function validateUpdate(gvk: GroupVersionKind, o: KubeObject, old: KubeObject): FieldError[] {
  return lookup(gvk)?.update(obj(o), obj(old)) ?? [];
}

export function validateStatusUpdate(gvk: GroupVersionKind, o: KubeObject, old: KubeObject): FieldError[] {
  const v = lookup(gvk);
  if (!v) return [];
  return (v.status ?? metaUpdate)(obj(o), obj(old));
}

/** A custom resource's metadata (upstream: ValidateObjectMetaAccessor with DNS-subdomain names). */
export function validateCustomResourceMeta(o: KubeObject, namespaced: boolean, old?: KubeObject): FieldError[] {
  if (old) return validateObjectMetaUpdate(o.metadata, old.metadata, 'metadata', { kubeFinalizers: false });
  return validateObjectMeta(obj(o).metadata, namespaced, nameIsDNSSubdomain, 'metadata', { kubeFinalizers: false });
}

export { validateBinding } from './pod';
export { validateNamespaceFinalizeUpdate } from './namespace-node';
export { GoRepr, OMIT_VALUE, isGoRepr } from './go-repr';
