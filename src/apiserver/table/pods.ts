/**
 * The Pod table (printers.go printPod): NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED-NODE READINESS-GATES.
 *
 * STATUS follows upstream's order of precedence: the phase, replaced by status.reason, by SchedulingGated, then the
 * first unfinished init container ("Init:0/2", "Init:CrashLoopBackOff", "Init:ExitCode:1", "Init:Signal:9",
 * "Init:Error"; sidecars — restartable init containers that started — count as containers instead), then the last
 * app container with a waiting or terminated reason (CrashLoopBackOff, Completed, ExitCode:N, …), "Completed" turned
 * back into Running/NotReady while a container still runs, and finally Terminating (deletionTimestamp on a
 * non-terminal pod) or Unknown (deletionTimestamp on a NodeLost pod). RESTARTS is "N" or "N (5m ago)" from the
 * newest lastState.terminated.finishedAt. Succeeded/Failed pods carry the row condition Completed=True.
 */
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/object';
import { ageOf, humanDuration, parseTime } from './age';
import { AGE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { arr, int, str } from './format';
import type { Cell, RowContext, TablePrinter, TableRowCondition } from './types';

const SUCCEEDED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

function isRestartable(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** isPodInitializedConditionTrue: the first condition of the type decides. */
function firstConditionTrue(conditions: PodCondition[], type: string): boolean {
  for (const c of conditions) if (c?.type === type) return c.status === 'True';
  return false;
}

/** hasPodReadyCondition: any Ready condition that is True. */
function anyConditionTrue(conditions: PodCondition[], type: string): boolean {
  return conditions.some((c) => c?.type === type && c.status === 'True');
}

/** lastState.terminated.finishedAt in ms, or undefined. */
function finishedAt(s: ContainerStatus): number | undefined {
  return parseTime(s?.lastState?.terminated?.finishedAt);
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (b === undefined) return a;
  return a === undefined || b > a ? b : a;
}

function podCells(obj: KubeObject, ctx: RowContext): Cell[] {
  const pod = obj as Pod;
  const spec = pod.spec;
  const status = pod.status;
  const conditions = arr<PodCondition>(status?.conditions);
  const specInit = arr<Container>(spec?.initContainers);
  let total = arr(spec?.containers).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  const phase = str(status?.phase);
  let reason = str(status?.reason) || phase;
  for (const c of conditions) if (c?.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  const initByName = new Map<string, Container>();
  for (const c of specInit) {
    initByName.set(str(c?.name), c);
    if (isRestartable(c)) total++;
  }

  let initializing = false;
  const initStatuses = arr<ContainerStatus>(status?.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const s = initStatuses[i]!;
    const count = int(s?.restartCount);
    restarts += count;
    lastRestart = later(lastRestart, finishedAt(s));
    const sidecar = isRestartable(initByName.get(str(s?.name)));
    if (sidecar) {
      sidecarRestarts += count;
      lastSidecarRestart = later(lastSidecarRestart, finishedAt(s));
    }
    const terminated = s?.state?.terminated;
    const waiting = s?.state?.waiting;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (sidecar && s.started === true) {
      if (s.ready === true) ready++;
      continue;
    }
    if (terminated) {
      const r = str(terminated.reason);
      if (r === '') reason = int(terminated.signal) !== 0 ? `Init:Signal:${int(terminated.signal)}` : `Init:ExitCode:${int(terminated.exitCode)}`;
      else reason = `Init:${r}`;
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${specInit.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || firstConditionTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr<ContainerStatus>(status?.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i]!;
      restarts += int(s?.restartCount);
      lastRestart = later(lastRestart, finishedAt(s));
      const waiting = s?.state?.waiting;
      const terminated = s?.state?.terminated;
      if (waiting && str(waiting.reason) !== '') reason = str(waiting.reason);
      else if (terminated && str(terminated.reason) !== '') reason = str(terminated.reason);
      else if (terminated) {
        reason = int(terminated.signal) !== 0 ? `Signal:${int(terminated.signal)}` : `ExitCode:${int(terminated.exitCode)}`;
      } else if (s?.ready === true && s.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = anyConditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = typeof pod.metadata?.deletionTimestamp === 'string' && pod.metadata.deletionTimestamp !== '';
  if (deleting && status?.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsCell = `${restarts} (${humanDuration(ctx.nowMs - lastRestart)} ago)`;

  // The internal Pod's PodIPs: status.podIP is authoritative (v1 → internal conversion), else podIPs[0].
  const ip = str(status?.podIP) || str(arr<{ ip?: string }>(status?.podIPs)[0]?.ip) || '<none>';
  let gates = '<none>';
  const readinessGates = arr<{ conditionType?: string }>(spec?.readinessGates);
  if (readinessGates.length > 0) {
    let trueConditions = 0;
    for (const g of readinessGates) {
      for (const c of conditions) {
        if (c?.type === g?.conditionType) {
          if (c.status === 'True') trueConditions++;
          break;
        }
      }
    }
    gates = `${trueConditions}/${readinessGates.length}`;
  }

  return [
    str(pod.metadata?.name),
    `${ready}/${total}`,
    reason,
    restartsCell,
    ageOf(pod, ctx.nowMs),
    ip,
    str(spec?.nodeName) || '<none>',
    str(status?.nominatedNodeName) || '<none>',
    gates,
  ];
}

export const podPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', DOC['PodStatus.podIP'], 1),
    col('Node', 'string', DOC['PodSpec.nodeName'], 1),
    col('Nominated Node', 'string', DOC['PodStatus.nominatedNodeName'], 1),
    col('Readiness Gates', 'string', DOC['PodSpec.readinessGates'], 1),
  ),
  cells: podCells,
  conditions(obj) {
    const phase = (obj as Pod).status?.phase;
    return phase === 'Succeeded' ? SUCCEEDED : phase === 'Failed' ? FAILED : undefined;
  },
};
