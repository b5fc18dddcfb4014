/**
 * coordination.k8s.io and scheduling.k8s.io tables (printers.go printLease, printPriorityClass):
 *   leases           NAME HOLDER AGE
 *   priorityclasses  NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY
 * (Upstream declares PREEMPTIONPOLICY with priority 0 and fills it only when printing wide, which the server
 * always does — so kubectl shows it by default.)
 */
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { int, str } from './format';
import type { TablePrinter } from './types';

export const leasePrinter: TablePrinter = {
  columns: columns(NAME, col('Holder', 'string', DOC['LeaseSpec.holderIdentity']), AGE),
  cells(obj, ctx) {
    const l = obj as Lease;
    return [str(l.metadata?.name), str(l.spec?.holderIdentity), ageOf(l, ctx.nowMs)];
  },
};

export const priorityClassPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Value', 'integer', DOC['PriorityClass.value']),
    col('Global-Default', 'boolean', DOC['PriorityClass.globalDefault']),
    AGE,
    col('PreemptionPolicy', 'string', DOC['PriorityClass.preemptionPolicy']),
  ),
  cells(obj, ctx) {
    const pc = obj as unknown as PriorityClass;
    return [str(pc.metadata?.name), int(pc.value), pc.globalDefault === true, ageOf(pc, ctx.nowMs), str(pc.preemptionPolicy)];
  },
};
