/**
 * Test doubles for the kubelet's pod worker, and a harness that drives one PodWorker with the real SimRuntime on a
 * FakeClock, the way the kubelet does (runtime ContainerStarted/ContainerStopped events kick the worker that owns
 * the sandbox), with the real generatePodStatus and small fakes for the prober, the status sink, the IPAM and the
 * event recorder. Time only moves through `advance`, in 1 s steps, so everything the worker does lands on whole
 * seconds of the clock.
 */
import { FakeClock, type Clock } from '../../../../src/base/clock';
import { memoryLogger } from '../../../../src/base/logger';
import type { EventRecorder } from '../../../../src/client/events/recorder';
import type { EventObject } from '../../../../src/client/events/reference';
import type { EventType } from '../../../../src/client/events/types';
import { Backoff } from '../../../../src/kubelet/pod/backoff';
import type { SourceReader } from '../../../../src/kubelet/pod/container-env';
import type { ProbeVerdict } from '../../../../src/kubelet/pod/pod-view';
import { PodWorker, type ApiPod, type IpamLike, type ProberLike, type StatusSink, type WorkerDeps } from '../../../../src/kubelet/pod/pod-worker';
import type { ContainerStatus } from '../../../../src/kubelet/runtime/runtime';
import { SimRuntime, type SimRuntimeOptions } from '../../../../src/kubelet/runtime/sim/sim-runtime';
import { generatePodStatus } from '../../../../src/kubelet/status/generate';
import type { ApiContainerStatus, PodStatus } from '../../../../src/kubelet/status/types';

type Obj = Record<string, unknown>;

export const HOST_IP = '172.18.0.3';
export const UID = 'uid-1';
export const T0 = Date.UTC(2026, 0, 1);

export interface RecordedEvent {
  time: number;
  type: EventType;
  reason: string;
  message: string;
  fieldPath?: string;
}

/** An EventRecorder that keeps every event with the clock time it was recorded at. */
export class FakeRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];
  constructor(private readonly clock: Clock) {}
  event(object: EventObject, type: EventType, reason: string, message: string): void {
    const fieldPath = (object as { fieldPath?: string }).fieldPath;
    this.events.push({ time: this.clock.now(), type, reason, message, ...(fieldPath ? { fieldPath } : {}) });
  }
  eventf(object: EventObject, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.event(object, type, reason, [messageFmt, ...args.map(String)].join(' '));
  }
  annotatedEventf(object: EventObject, _a: Record<string, string>, type: EventType, reason: string, messageFmt: string, ...args: unknown[]): void {
    this.eventf(object, type, reason, messageFmt, ...args);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {}
  /** "Reason: message" of every event (optionally only those with `reason`). */
  lines(reason?: string): string[] {
    return this.events.filter((e) => !reason || e.reason === reason).map((e) => `${e.reason}: ${e.message}`);
  }
  /** Clock times (seconds after `t0`) of the events with `reason` and, when given, this field path. */
  times(reason: string, t0: number, fieldPath?: string): number[] {
    return this.events.filter((e) => e.reason === reason && (!fieldPath || e.fieldPath === fieldPath)).map((e) => (e.time - t0) / 1000);
  }
}

/** Hands out 10.244.1.5, .6, … per pod uid and remembers releases. */
export class FakeIpam implements IpamLike {
  readonly allocated = new Map<string, string>();
  readonly allocations: string[] = [];
  readonly released: string[] = [];
  private next = 5;
  allocate(podUid: string): string {
    this.allocations.push(podUid);
    let ip = this.allocated.get(podUid);
    if (!ip) {
      ip = `10.244.1.${this.next++}`;
      this.allocated.set(podUid, ip);
    }
    return ip;
  }
  release(podUid: string): void {
    this.released.push(podUid);
    this.allocated.delete(podUid);
  }
}

/**
 * A prober with no probes: a running container is started and ready unless a verdict is set for it; `failLiveness`
 * makes the current instance of a container fail its liveness probe (until a new instance is handed over).
 */
export class FakeProber implements ProberLike {
  readonly added: string[] = [];
  /** uid → the pod version last handed to addPod. */
  readonly latest = new Map<string, ApiPod>();
  readonly removed: string[] = [];
  readonly current = new Map<string, ContainerStatus | undefined>();
  readonly verdicts = new Map<string, ProbeVerdict>();
  private readonly failing = new Map<string, { id: string; message: string }>();
  addPod(pod: ApiPod): void {
    const uid = pod.metadata.uid ?? '';
    if (!this.latest.has(uid)) this.added.push(uid);
    this.latest.set(uid, pod);
  }
  removePod(podUid: string): void {
    this.removed.push(podUid);
  }
  setContainer(podUid: string, name: string, c: ContainerStatus | undefined): void {
    this.current.set(`${podUid}/${name}`, c);
  }
  verdict(podUid: string, name: string): ProbeVerdict | undefined {
    const c = this.current.get(`${podUid}/${name}`);
    if (c?.state !== 'running') return undefined;
    return this.verdicts.get(name) ?? { ready: true, started: true };
  }
  mustRestart(podUid: string, name: string): { message: string } | undefined {
    const f = this.failing.get(name);
    const c = this.current.get(`${podUid}/${name}`);
    return f && c?.state === 'running' && c.id === f.id ? { message: f.message } : undefined;
  }
  failLiveness(podUid: string, name: string, message: string): void {
    const c = this.current.get(`${podUid}/${name}`);
    if (c) this.failing.set(name, { id: c.id, message });
  }
}

/** Records what the worker publishes. */
export class FakeStatusSink implements StatusSink {
  readonly statuses: { time: number; status: PodStatus }[] = [];
  readonly terminatedAt: number[] = [];
  readonly removed: string[] = [];
  constructor(private readonly clock: Clock) {}
  setPodStatus(_pod: ApiPod, status: Obj): void {
    this.statuses.push({ time: this.clock.now(), status: structuredClone(status) as PodStatus });
  }
  terminated(): void {
    this.terminatedAt.push(this.clock.now());
  }
  removePod(podUid: string): void {
    this.removed.push(podUid);
  }
  get last(): PodStatus {
    const s = this.statuses[this.statuses.length - 1];
    if (!s) throw new Error('no status published yet');
    return s.status;
  }
}

/** The container status named `name` (init or regular). */
export function cs(status: PodStatus, name: string): ApiContainerStatus {
  const s = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].find((c) => c.name === name);
  if (!s) throw new Error(`no status for container ${name}`);
  return s;
}

export const waitingReason = (status: PodStatus, name: string): string | undefined => cs(status, name).state.waiting?.reason;

export function makePod(containers: Obj[], spec: Obj = {}, meta: Obj = {}): ApiPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: UID, ...meta },
    spec: { nodeName: 'n1', restartPolicy: 'Always', containers, ...spec },
  } as ApiPod;
}

export const sh = (name: string, script: string, extra: Obj = {}): Obj => ({ name, image: 'busybox:1.36', command: ['sh', '-c', script], ...extra });

export interface HarnessOptions extends Partial<Omit<SimRuntimeOptions, 'clock'>> {
  /** No IPAM until set to true (`h.ipamReady = true`). */
  noIpam?: boolean;
}

export function workerHarness(options: HarnessOptions = {}) {
  const clock = new FakeClock(T0);
  const { noIpam, ...sim } = options;
  const runtime = new SimRuntime({ pullMs: 0, nodeName: 'n1', ...sim, clock });
  const recorder = new FakeRecorder(clock);
  const ipam = new FakeIpam();
  const prober = new FakeProber();
  const status = new FakeStatusSink(clock);
  const { logger, records: logs } = memoryLogger('error');
  const sources = new Map<string, Obj>();
  const gone: string[] = [];
  const read: SourceReader = async (kind, ns, name) => sources.get(`${kind}/${ns}/${name}`);
  const state = { ipamReady: !noIpam };
  const restartBackoff = new Backoff();
  const pullBackoff = new Backoff();
  const deps: WorkerDeps = {
    runtime,
    clock,
    recorder,
    pullBackoff,
    restartBackoff,
    read,
    logger,
    hostIP: HOST_IP,
    ipam: () => (state.ipamReady ? ipam : undefined),
    prober,
    status,
    generate: (view, now) => generatePodStatus(view, now) as unknown as Obj,
    onGone: (uid) => gone.push(uid),
  };
  const workers: PodWorker[] = [];
  runtime.onContainerEvent((e) => {
    if (e.type !== 'ContainerStopped' && e.type !== 'ContainerStarted') return;
    for (const w of workers) if (w.ownsSandbox(e.sandboxId)) w.kick();
  });

  /** Lets every pending promise chain run, firing timers due now (0 ms pulls, 0 ms stops) between rounds. */
  const settle = async (rounds = 8): Promise<void> => {
    for (let i = 0; i < rounds; i++) {
      clock.advance(0);
      await new Promise<void>((r) => setImmediate(r));
    }
  };
  /** Moves the clock forward `ms` in 1 s steps, settling after each. */
  const advance = async (ms: number): Promise<void> => {
    for (let done = 0; done < ms; ) {
      const step = Math.min(1000, ms - done);
      clock.advance(step);
      done += step;
      await settle();
    }
  };
  /** A worker for `pod`, subscribed to the runtime's events (not kicked). */
  const worker = (pod: ApiPod): PodWorker => {
    const w = new PodWorker(pod, deps);
    workers.push(w);
    return w;
  };
  /** A worker for `pod`, kicked and settled. */
  const start = async (pod: ApiPod): Promise<PodWorker> => {
    const w = worker(pod);
    w.kick();
    await settle();
    return w;
  };
  /** Seconds since T0. */
  const secs = () => (clock.now() - T0) / 1000;
  const setSource = (kind: 'ConfigMap' | 'Secret', name: string, obj: Obj, ns = 'default') => sources.set(`${kind}/${ns}/${name}`, obj);
  const dispose = () => {
    for (const w of workers) w.close();
    runtime.dispose();
  };
  return { clock, runtime, recorder, ipam, prober, status, logs, deps, gone, state, restartBackoff, pullBackoff, settle, advance, worker, start, secs, setSource, dispose };
}

export type WorkerHarness = ReturnType<typeof workerHarness>;
