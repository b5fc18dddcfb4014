/**
 * The kubelet's prober manager (upstream pkg/kubelet/prober: prober_manager.go, worker.go, results/): one worker
 * (./probe-worker) per startup/liveness/readiness probe of every container and restartable init container
 * (sidecar) of the pods it is given; the verdicts the pod worker puts into PodView.probes; and which container
 * instance must be killed for failing liveness/startup.
 *
 * Contract:
 * - addPod(pod) starts the missing workers (probes are immutable, so existing ones are kept) and refreshes the pod
 *   it reads (name for events, deletionTimestamp, phase, restartPolicy). Once the pod is being deleted its liveness
 *   and startup workers stop (upstream's StopLivenessAndStartup); a Succeeded/Failed pod stops them all.
 * - setContainer(uid, name, status) says which instance is current (undefined: none). A new id resets that
 *   container's results: not ready, not started, no liveness failure. Calls for pods never added are ignored.
 * - verdict() is upstream's UpdatePodStatus: started = running and (startup succeeded or no startup probe);
 *   ready = started and (readiness succeeded or no readiness probe); a regular init container is ready once exited
 *   with 0. Like upstream, asking about a started container that is not ready triggers its readiness probe at once.
 * - onChange(uid) is called when a probe changes a readiness or startup result, or fails liveness past its
 *   threshold — never from within addPod/removePod/setContainer. Events are recorded on every failing probe with
 *   upstream's words; counting and aggregation are the event recorder's.
 * - removePod()/dispose() stop the workers: no timer is left on the Clock.
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { PodView, ProbeVerdict } from '../pod/pod-view';
import type { ContainerRuntime, ContainerStatus } from '../runtime/runtime';
import { probeOnce } from './prober';
import { probeSpecOf, type ContainerLike, type ProbeType } from './probe-spec';
import { ProbeWorker, type ProbeResult, type WorkerHost } from './probe-worker';

export type PodLike = PodView['pod'];

export interface ProberOptions {
  runtime: ContainerRuntime;
  clock: Clock;
  logger: Logger;
  /**
   * Record an event on the pod (type, reason, message), e.g. Warning Unhealthy "Liveness probe failed: HTTP probe
   * failed with statuscode: 500". fieldPath names the container as upstream's container references do
   * ("spec.containers{web}").
   */
  event(pod: PodLike, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  /** Called when a verdict changes (readiness/startup flip, or liveness/startup failure past the threshold). */
  onChange(podUid: string): void;
  /** Random in [0, 1) for the first-probe jitter (default Math.random). */
  random?: () => number;
}

interface ContainerEntry {
  spec: ContainerLike;
  fieldPath: string;
  sidecar: boolean;
  init: boolean;
  current?: ContainerStatus;
  workers: Map<ProbeType, ProbeWorker>;
  /** Probe types whose worker has ended for good (pod deleted, or finished with restartPolicy Never). */
  retired: Set<ProbeType>;
}

interface PodEntry {
  pod: PodLike;
  containers: Map<string, ContainerEntry>;
  ip?: { sandboxId: string; ip: Promise<string> };
}

const TYPES: ProbeType[] = ['startup', 'readiness', 'liveness'];

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const list = (v: unknown): ContainerLike[] => (Array.isArray(v) ? v.filter((c): c is ContainerLike => typeof asObj(c).name === 'string') : []);

export class ProberManager {
  private readonly pods = new Map<string, PodEntry>();
  private readonly logger: Logger;
  private readonly host: WorkerHost;

  constructor(private readonly o: ProberOptions) {
    this.logger = o.logger.child('prober');
    const clock = o.clock;
    this.host = {
      now: () => clock.now(),
      setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
      clearTimeout: (h) => clock.clearTimeout(h),
      random: o.random ?? Math.random,
      startedAt: clock.now(),
      current: (w) => this.entry(w)?.current,
      started: (w) => {
        const e = this.entry(w);
        return !!e?.current && this.isStarted(e, e.current);
      },
      podState: (w) => {
        const p = this.pods.get(w.podUid);
        const e = this.entry(w);
        if (!p || !e) return undefined;
        return { deleting: isDeleting(p.pod), finished: isFinished(p.pod), restartNever: !e.sidecar && restartPolicy(p.pod) === 'Never' };
      },
      probe: (w, c, signal) => this.probe(w, c, signal),
      changed: (w, from, to) => this.changed(w, from, to),
      exited: (w) => this.retire(w),
    };
  }

  addPod(pod: PodLike): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    let p = this.pods.get(uid);
    if (!p) this.pods.set(uid, (p = { pod, containers: new Map() }));
    p.pod = pod;
    const spec = asObj(pod.spec);
    const add = (c: ContainerLike, init: boolean) => {
      let e = p.containers.get(c.name);
      if (!e) {
        const fieldPath = `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`;
        e = { spec: c, fieldPath, init, sidecar: init && c.restartPolicy === 'Always', workers: new Map(), retired: new Set() };
        p.containers.set(c.name, e);
      }
      if (init && !e.sidecar) return;
      for (const type of TYPES) {
        const probe = probeSpecOf(c, type);
        if (!probe || e.workers.has(type) || e.retired.has(type)) continue;
        const w = new ProbeWorker(this.host, uid, c, probe);
        e.workers.set(type, w);
        if (e.current) w.resetFor(e.current.id);
        w.start();
      }
    };
    for (const c of list(spec.initContainers)) add(c, true);
    for (const c of list(spec.containers)) add(c, false);
    const finished = isFinished(pod);
    if (!finished && !isDeleting(pod)) return;
    for (const e of p.containers.values()) {
      for (const w of [...e.workers.values()]) if (finished || w.type !== 'readiness') this.retire(w);
    }
  }

  removePod(podUid: string): void {
    const p = this.pods.get(podUid);
    if (!p) return;
    for (const e of p.containers.values()) for (const w of e.workers.values()) w.stop();
    this.pods.delete(podUid);
  }

  setContainer(podUid: string, name: string, c: ContainerStatus | undefined): void {
    const e = this.pods.get(podUid)?.containers.get(name);
    if (!e) return;
    e.current = c && { ...c };
    if (c) for (const w of e.workers.values()) w.resetFor(c.id);
  }

  verdict(podUid: string, name: string): ProbeVerdict | undefined {
    const e = this.pods.get(podUid)?.containers.get(name);
    const c = e?.current;
    if (!e || !c) return undefined;
    if (e.init && !e.sidecar) return { started: c.state === 'running', ready: c.state === 'exited' && c.exitCode === 0 };
    if (!this.isStarted(e, c)) return { ready: false, started: false };
    const readiness = e.workers.get('readiness');
    const ready = !readiness || readiness.resultFor(c.id) === 'success';
    if (!ready) readiness?.trigger();
    return { ready, started: true };
  }

  mustRestart(podUid: string, name: string): { probe: 'liveness' | 'startup'; message: string } | undefined {
    const p = this.pods.get(podUid);
    const e = p?.containers.get(name);
    const c = e?.current;
    if (!p || !e || c?.state !== 'running') return undefined;
    const probe = e.workers.get('liveness')?.resultFor(c.id) === 'failure' ? 'liveness' : e.workers.get('startup')?.resultFor(c.id) === 'failure' ? 'startup' : undefined;
    if (!probe) return undefined;
    if (e.sidecar) return { probe, message: `Init container ${name} failed ${probe} probe` };
    const restart = restartPolicy(p.pod) !== 'Never';
    return { probe, message: `Container ${name} failed ${probe} probe${restart ? ', will be restarted' : ''}` };
  }

  dispose(): void {
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────────────
  private entry(w: ProbeWorker): ContainerEntry | undefined {
    const e = this.pods.get(w.podUid)?.containers.get(w.container.name);
    return e?.workers.get(w.type) === w ? e : undefined;
  }

  private isStarted(e: ContainerEntry, c: ContainerStatus): boolean {
    if (c.state !== 'running') return false;
    const startup = e.workers.get('startup');
    return !startup || startup.resultFor(c.id) === 'success';
  }

  /** A worker that ended: gone with its results, and not started again for this pod. */
  private retire(w: ProbeWorker): void {
    w.stop();
    const e = this.entry(w);
    if (!e) return;
    e.workers.delete(w.type);
    e.retired.add(w.type);
  }

  private changed(w: ProbeWorker, from: ProbeResult | undefined, to: ProbeResult): void {
    this.logger.debug(`${w.type} probe of ${w.podUid}/${w.container.name}: ${from ?? 'none'} → ${to}`);
    if (w.type === 'liveness' && to !== 'failure') return;
    try {
      this.o.onChange(w.podUid);
    } catch (err) {
      this.logger.warn('onChange listener failed', err);
    }
  }

  private async probe(w: ProbeWorker, c: ContainerStatus, signal: AbortSignal) {
    const p = this.pods.get(w.podUid);
    const e = this.entry(w);
    if (!p || !e) return undefined;
    const meta = p.pod.metadata;
    const podDescription = `${meta.name ?? ''}_${meta.namespace ?? ''}(${w.podUid})`;
    const podIP = await this.podIP(p, c);
    if (signal.aborted) return undefined;
    return probeOnce(
      {
        runtime: this.o.runtime,
        clock: this.o.clock,
        logger: this.logger,
        event: (type, reason, message) => {
          try {
            this.o.event(p.pod, type, reason, message, e.fieldPath);
          } catch (err) {
            this.logger.warn('event listener failed', err);
          }
        },
      },
      { spec: w.spec, container: w.container, containerId: c.id, podIP, podDescription },
      signal,
    );
  }

  /** The sandbox's IP (asked of the runtime once per sandbox), else the pod's status.podIP. */
  private podIP(p: PodEntry, c: ContainerStatus): Promise<string> {
    if (p.ip?.sandboxId !== c.sandboxId) {
      const fallback = String(asObj(p.pod.status).podIP ?? '');
      const ip = this.o.runtime.sandboxStatus(c.sandboxId).then(
        (s) => s.ip || fallback,
        () => {
          if (p.ip?.sandboxId === c.sandboxId) p.ip = undefined; // ask again next time
          return fallback;
        },
      );
      p.ip = { sandboxId: c.sandboxId, ip };
    }
    return p.ip.ip;
  }
}

const isDeleting = (pod: PodLike): boolean => !!(pod.metadata as Obj).deletionTimestamp;
const isFinished = (pod: PodLike): boolean => ['Succeeded', 'Failed'].includes(String(asObj(pod.status).phase ?? ''));
const restartPolicy = (pod: PodLike): string => String(asObj(pod.spec).restartPolicy ?? 'Always');
