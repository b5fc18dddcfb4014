/**
 * The columns of the two tables: the Events stream (`kubectl get events -A --watch`: NAMESPACE, LAST SEEN, TYPE,
 * REASON, OBJECT, plus COUNT and SOURCE from -o wide, and MESSAGE) and the Pods table (`kubectl get pods -A -o
 * wide`: NAMESPACE, NAME, READY, STATUS, RESTARTS, AGE, IP, NODE). The text is what the host's printers computed;
 * only the colouring of STATUS is decided here.
 */
import type { EventRowView, PodRowView } from '../src/ui/events/protocol';
import type { Column } from './virtual-table';

export const eventColumns: Column<EventRowView>[] = [
  { title: 'NAMESPACE', width: 'minmax(90px, 0.6fr)', minPx: 90, className: 'namespace', text: (r) => r.namespace },
  { title: 'LAST SEEN', width: '84px', minPx: 84, className: 'age', text: (r) => r.lastSeen },
  { title: 'TYPE', width: '70px', minPx: 70, className: 'type', text: (r) => r.type },
  { title: 'REASON', width: 'minmax(110px, 0.8fr)', minPx: 110, className: 'reason', text: (r) => r.reason },
  { title: 'OBJECT', width: 'minmax(160px, 1.2fr)', minPx: 160, className: 'object', text: (r) => r.object, ref: (r) => r.ref },
  { title: 'COUNT', width: '56px', minPx: 56, className: 'count', text: (r) => String(r.count) },
  { title: 'SOURCE', width: 'minmax(120px, 0.8fr)', minPx: 120, className: 'source', text: (r) => r.source },
  { title: 'MESSAGE', width: 'minmax(240px, 3fr)', minPx: 240, className: 'message', text: (r) => r.message },
];

const ERROR_STATUS = /^(Init:)?(CrashLoopBackOff|Error|ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull|CreateContainerConfigError|CreateContainerError|RunContainerError|OOMKilled|ContainerCannotRun|DeadlineExceeded|Evicted|Failed|Unknown|NodeLost|ExitCode:.*|Signal:.*)$/;
const WARN_STATUS = /^(Pending|ContainerCreating|PodInitializing|Terminating|NotReady|SchedulingGated|Init:\d+\/\d+)$/;

/** status-error / status-warn / nothing, for the STATUS cell. */
export function statusTone(status: string): string | undefined {
  if (ERROR_STATUS.test(status)) return 'status-error';
  if (WARN_STATUS.test(status)) return 'status-warn';
  return undefined;
}

export const podColumns: Column<PodRowView>[] = [
  { title: 'NAMESPACE', width: 'minmax(90px, 0.7fr)', minPx: 90, className: 'namespace', text: (r) => r.namespace },
  { title: 'NAME', width: 'minmax(180px, 2fr)', minPx: 180, className: 'name', text: (r) => r.name, ref: (r) => r.ref },
  { title: 'READY', width: '56px', minPx: 56, className: 'ready', text: (r) => r.ready },
  { title: 'STATUS', width: 'minmax(110px, 0.9fr)', minPx: 110, className: 'status', text: (r) => r.status, tone: (r) => statusTone(r.status) },
  { title: 'RESTARTS', width: 'minmax(76px, 0.6fr)', minPx: 76, className: 'restarts', text: (r) => r.restarts },
  { title: 'AGE', width: '56px', minPx: 56, className: 'age', text: (r) => r.age },
  { title: 'IP', width: 'minmax(100px, 0.7fr)', minPx: 100, className: 'ip', text: (r) => r.ip },
  { title: 'NODE', width: 'minmax(100px, 0.8fr)', minPx: 100, className: 'node', text: (r) => r.node },
];
