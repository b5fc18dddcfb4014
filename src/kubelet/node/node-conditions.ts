/**
 * The kubelet's node condition setters (pkg/kubelet/nodestatus/setters.go): MemoryPressure, DiskPressure,
 * PIDPressure and Ready, with upstream's types, reasons and messages. Each setter works on the conditions already on
 * the Node (keeping their order, appending missing ones in upstream's order), sets lastHeartbeatTime to now on every
 * call and moves lastTransitionTime only when the status changes. `conditionsChanged` is upstream's
 * nodeConditionsHaveChanged: equal apart from heartbeats. Pure: never mutates its inputs.
 */

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

/** What the kubelet knows about its node's health (eviction manager signals, runtime/network/PLEG errors). */
export interface NodeHealth {
  memoryPressure?: boolean;
  diskPressure?: boolean;
  pidPressure?: boolean;
  /** Errors that make the node NotReady (e.g. `container runtime network not ready: …`); none means Ready. */
  notReadyErrors?: readonly string[];
}

interface PressureTexts {
  type: string;
  flag: 'memoryPressure' | 'diskPressure' | 'pidPressure';
  trueReason: string;
  trueMessage: string;
  falseReason: string;
  falseMessage: string;
}

const PRESSURES: readonly PressureTexts[] = [
  {
    type: 'MemoryPressure',
    flag: 'memoryPressure',
    trueReason: 'KubeletHasInsufficientMemory',
    trueMessage: 'kubelet has insufficient memory available',
    falseReason: 'KubeletHasSufficientMemory',
    falseMessage: 'kubelet has sufficient memory available',
  },
  {
    type: 'DiskPressure',
    flag: 'diskPressure',
    trueReason: 'KubeletHasDiskPressure',
    trueMessage: 'kubelet has disk pressure',
    falseReason: 'KubeletHasNoDiskPressure',
    falseMessage: 'kubelet has no disk pressure',
  },
  {
    type: 'PIDPressure',
    flag: 'pidPressure',
    trueReason: 'KubeletHasInsufficientPID',
    trueMessage: 'kubelet has insufficient PID available',
    falseReason: 'KubeletHasSufficientPID',
    falseMessage: 'kubelet has sufficient PID available',
  },
];

/** A condition that changed status in this round (upstream records an event for each: NodeHasSufficientMemory, …). */
export interface ConditionTransition {
  type: string;
  status: NodeCondition['status'];
}

/** utilerrors.NewAggregate(errs).Error(): one error prints bare, several as `[a, b]`. */
export function aggregateMessage(errs: readonly string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

function setPressure(conds: NodeCondition[], t: PressureTexts, pressure: boolean, now: string, out: ConditionTransition[]): void {
  const i = conds.findIndex((c) => c.type === t.type);
  const c: NodeCondition = i >= 0 ? { ...conds[i] } : { type: t.type, status: 'Unknown' };
  c.lastHeartbeatTime = now;
  if (pressure && c.status !== 'True') {
    Object.assign(c, { status: 'True', reason: t.trueReason, message: t.trueMessage, lastTransitionTime: now });
    out.push({ type: t.type, status: 'True' });
  } else if (!pressure && c.status !== 'False') {
    Object.assign(c, { status: 'False', reason: t.falseReason, message: t.falseMessage, lastTransitionTime: now });
    out.push({ type: t.type, status: 'False' });
  }
  if (i >= 0) conds[i] = c;
  else conds.push(c);
}

function setReady(conds: NodeCondition[], errs: readonly string[], now: string, out: ConditionTransition[]): void {
  const next: NodeCondition = errs.length
    ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: aggregateMessage(errs), lastHeartbeatTime: now }
    : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now };
  const i = conds.findIndex((c) => c.type === 'Ready');
  if (i >= 0 && conds[i].status === next.status && conds[i].lastTransitionTime !== undefined) {
    next.lastTransitionTime = conds[i].lastTransitionTime;
  } else {
    next.lastTransitionTime = now;
    out.push({ type: 'Ready', status: next.status });
  }
  if (i >= 0) conds[i] = next;
  else conds.push(next);
}

/** Runs the four setters in upstream's order over a copy of `existing`; `now` is a metav1.Time string. */
export function setNodeConditions(existing: readonly NodeCondition[] | undefined, health: NodeHealth, now: string): { conditions: NodeCondition[]; transitions: ConditionTransition[] } {
  const conds = (existing ?? []).map((c) => ({ ...c }));
  const transitions: ConditionTransition[] = [];
  for (const p of PRESSURES) setPressure(conds, p, health[p.flag] === true, now, transitions);
  setReady(conds, health.notReadyErrors ?? [], now, transitions);
  return { conditions: conds, transitions };
}

/** nodeConditionsHaveChanged: same length and, sorted by type, equal apart from lastHeartbeatTime. */
export function conditionsChanged(a: readonly NodeCondition[] | undefined, b: readonly NodeCondition[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return true;
  const norm = (cs: readonly NodeCondition[]) =>
    [...cs]
      .sort((p, q) => (p.type < q.type ? -1 : p.type > q.type ? 1 : 0))
      .map((c) => JSON.stringify([c.type, c.status, c.reason ?? '', c.message ?? '', c.lastTransitionTime ?? '']));
  const nx = norm(x);
  const ny = norm(y);
  return nx.some((s, i) => s !== ny[i]);
}

const EVENT_REASONS: Record<string, Partial<Record<NodeCondition['status'], string>>> = {
  MemoryPressure: { True: 'NodeHasInsufficientMemory', False: 'NodeHasSufficientMemory' },
  DiskPressure: { True: 'NodeHasDiskPressure', False: 'NodeHasNoDiskPressure' },
  PIDPressure: { True: 'NodeHasInsufficientPID', False: 'NodeHasSufficientPID' },
  Ready: { True: 'NodeReady', False: 'NodeNotReady' },
};

/** The Normal events upstream's kubelet records for transitions (recordNodeStatusEvent): reason and
 * `Node <name> status is now: <reason>`, for the Node object. */
export function transitionEvents(nodeName: string, transitions: readonly ConditionTransition[]): { type: 'Normal'; reason: string; message: string }[] {
  const out: { type: 'Normal'; reason: string; message: string }[] = [];
  for (const t of transitions) {
    const reason = EVENT_REASONS[t.type]?.[t.status];
    if (reason) out.push({ type: 'Normal', reason, message: `Node ${nodeName} status is now: ${reason}` });
  }
  return out;
}
