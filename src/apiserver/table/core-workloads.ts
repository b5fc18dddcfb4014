/**
 * Core workload tables other than pods (printers.go printPodTemplate, printReplicationController):
 *   podtemplates            NAME CONTAINERS IMAGES POD-LABELS
 *   replicationcontrollers  NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR
 */
import type { PodTemplate, ReplicationController } from 'kubernetes-types/core/v1';
import { ageOf } from './age';
import { AGE, CONTAINERS_WIDE, IMAGES_WIDE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { containerCells, int, str } from './format';
import { formatLabels } from './selectors';
import type { TablePrinter } from './types';

export const podTemplatePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ),
  cells(obj) {
    const t = obj as PodTemplate;
    const [names, images] = containerCells(t.template?.spec?.containers);
    return [str(t.metadata?.name), names, images, formatLabels(t.template?.metadata?.labels)];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Desired', 'integer', DOC['RCSpec.replicas']),
    col('Current', 'integer', DOC['RCStatus.replicas']),
    col('Ready', 'integer', DOC['RCStatus.readyReplicas']),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    col('Selector', 'string', DOC['RCSpec.selector'], 1),
  ),
  cells(obj, ctx) {
    const rc = obj as ReplicationController;
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      str(rc.metadata?.name),
      int(rc.spec?.replicas),
      int(rc.status?.replicas),
      int(rc.status?.readyReplicas),
      ageOf(rc, ctx.nowMs),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
};
