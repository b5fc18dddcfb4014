/**
 * apps/v1 tables (printers.go printDeployment, printReplicaSet, printStatefulSet, printDaemonSet,
 * printControllerRevision):
 *   deployments          NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR
 *   replicasets          NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR
 *   statefulsets         NAME READY AGE, wide CONTAINERS IMAGES
 *   daemonsets           NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE-SELECTOR AGE, wide CONTAINERS IMAGES
 *                        SELECTOR
 *   controllerrevisions  NAME CONTROLLER REVISION AGE   (CONTROLLER is `<kind>.<group>/<name>`, lower-case kind)
 * READY is "ready/desired". A missing spec.replicas counts as 0, as the v1 → internal conversion does.
 */
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { parseApiVersion } from '../../api/object';
import { ageOf } from './age';
import { AGE, CONTAINERS_WIDE, IMAGES_WIDE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { arr, containerCells, int, str } from './format';
import { formatLabelSelector, formatLabels, labelSelectorString } from './selectors';
import type { TablePrinter } from './types';

export const deploymentPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', DOC['DeploymentStatus.updatedReplicas']),
    col('Available', 'string', DOC['DeploymentStatus.availableReplicas']),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    col('Selector', 'string', DOC['DeploymentSpec.selector'], 1),
  ),
  cells(obj, ctx) {
    const d = obj as Deployment;
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      str(d.metadata?.name),
      `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`,
      int(d.status?.updatedReplicas),
      int(d.status?.availableReplicas),
      ageOf(d, ctx.nowMs),
      names,
      images,
      labelSelectorString(d.spec?.selector) ?? '<invalid>',
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Desired', 'integer', DOC['ReplicaSetSpec.replicas']),
    col('Current', 'integer', DOC['ReplicaSetStatus.replicas']),
    col('Ready', 'integer', DOC['ReplicaSetStatus.readyReplicas']),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    col('Selector', 'string', DOC['ReplicaSetSpec.selector'], 1),
  ),
  cells(obj, ctx) {
    const rs = obj as ReplicaSet;
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      str(rs.metadata?.name),
      int(rs.spec?.replicas),
      int(rs.status?.replicas),
      int(rs.status?.readyReplicas),
      ageOf(rs, ctx.nowMs),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: columns(NAME, col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS_WIDE, IMAGES_WIDE),
  cells(obj, ctx) {
    const ss = obj as StatefulSet;
    const [names, images] = containerCells(ss.spec?.template?.spec?.containers);
    return [str(ss.metadata?.name), `${int(ss.status?.readyReplicas)}/${int(ss.spec?.replicas)}`, ageOf(ss, ctx.nowMs), names, images];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Desired', 'integer', DOC['DaemonSetStatus.desiredNumberScheduled']),
    col('Current', 'integer', DOC['DaemonSetStatus.currentNumberScheduled']),
    col('Ready', 'integer', DOC['DaemonSetStatus.numberReady']),
    col('Up-to-date', 'integer', DOC['DaemonSetStatus.updatedNumberScheduled']),
    col('Available', 'integer', DOC['DaemonSetStatus.numberAvailable']),
    col('Node Selector', 'string', DOC['PodSpec.nodeSelector']),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    col('Selector', 'string', DOC['DaemonSetSpec.selector'], 1),
  ),
  cells(obj, ctx) {
    const ds = obj as DaemonSet;
    const s = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      str(ds.metadata?.name),
      int(s?.desiredNumberScheduled),
      int(s?.currentNumberScheduled),
      int(s?.numberReady),
      int(s?.updatedNumberScheduled),
      int(s?.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(ds, ctx.nowMs),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/** metav1.GetControllerOf rendered by formatResourceName: `statefulset.apps/web`, `pod/x` for the core group. */
function controllerName(owners: unknown): string {
  const ref = arr<OwnerReference>(owners).find((o) => o?.controller === true);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(str(ref.apiVersion));
  const kind = str(ref.kind);
  if (kind === '' && group === '') return str(ref.name);
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${str(ref.name)}`;
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: columns(NAME, col('Controller', 'string', 'Controller of the object'), col('Revision', 'string', DOC['ControllerRevision.revision']), AGE),
  cells(obj, ctx) {
    const cr = obj as unknown as ControllerRevision;
    return [str(cr.metadata?.name), controllerName(cr.metadata?.ownerReferences), int(cr.revision), ageOf(cr, ctx.nowMs)];
  },
};
