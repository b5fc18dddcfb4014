/**
 * One pod's worker (upstream podWorkers + kuberuntime SyncPod/KillPod): every change — the pod updated in the API,
 * a container event from the runtime, a probe verdict, a back-off expiring — kicks it, and it runs one sync at a time
 * (kicks during a sync coalesce into one more). A sync makes the sandbox (IP from the node's IPAM), kills and starts
 * containers as computePodActions says (CrashLoopBackOff between restarts), and publishes the status. A pod with a
 * deletionTimestamp, or gone from the API, is terminated: preStop hooks, SIGTERM, the grace period, SIGKILL; the
 * sandbox is stopped, the IP released, and the status manager is told so it can delete the pod object.
 */
import type { Clock, TimerHandle } from '../../base/clock';
import { isRuntimeError } from '../runtime/errors';
import type { ContainerStatus } from '../runtime/runtime';
import { goDuration } from './backoff';
import { computePodActions, type SpecContainer } from './pod-actions';
import { startContainer } from './container-start';
import { stopContainers } from './stop-containers';
import { podViewOf } from './view-of';
import { ContainerRecords } from './container-records';
import type { ApiContainerStatus, ApiPod, Obj, PodSpec, Rec, WorkerDeps } from './worker-deps';

export type { ApiPod, IpamLike, ProberLike, StatusSink, WorkerDeps } from './worker-deps';

/** A sync slower than this shows its progress (ContainerCreating while images pull) before it ends. */
const SLOW_SYNC_MS = 100;


const RETRY_MS = 2000;
const TERMINAL = new Set(['Succeeded', 'Failed']);

export class PodWorker {
  private readonly records: ContainerRecords;
  private sandboxId: string | undefined;
  private ip: string | undefined;
  private running = false;
  private dirty = false;
  private closed = false;
  private gone = false;
  private terminated = false;
  private finished = false;
  private wake: { at: number; timer: TimerHandle } | undefined;
  private lastPhase = '';
  private idleWaiters: (() => void)[] = [];
  private slowSync: TimerHandle | undefined;

  constructor(
    private pod: ApiPod,
    private readonly d: WorkerDeps,
  ) {
    d.prober.addPod(pod);
    const status = (pod.status ?? {}) as { phase?: string; containerStatuses?: ApiContainerStatus[]; initContainerStatuses?: ApiContainerStatus[] };
    // A pod that already finished is never run again (upstream: terminal pods are not restarted).
    if (status.phase && TERMINAL.has(status.phase)) {
      this.finished = true;
      this.lastPhase = status.phase;
    }
    // What the API says ran before (this kubelet restarted, or the whole cluster): counts carry on from there.
    this.records = new ContainerRecords([...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]);
  }

  /** The pod as last seen. */
  get apiPod(): ApiPod {
    return this.pod;
  }

  /** Whether the pod still holds the node's resources (not finished, not terminated). */
  get active(): boolean {
    return !this.finished && !this.terminated && !this.gone;
  }

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  get phase(): string {
    return this.lastPhase;
  }

  get podIP(): string | undefined {
    return this.ip;
  }

  ownsSandbox(sandboxId: string): boolean {
    return this.sandboxId === sandboxId;
  }

  private get spec(): PodSpec {
    return (this.pod.spec ?? {}) as PodSpec;
  }

  private get clock(): Clock {
    return this.d.clock;
  }

  update(pod: ApiPod): void {
    this.pod = pod;
    this.d.prober.addPod(pod);
    this.kick();
  }

  /**
   * A newer version of the pod that changes nothing the worker acts on (its status): kept, no sync. The prober
   * reads it too (phase, deletion) and so holds the current version rather than an old one of its own.
   */
  observe(pod: ApiPod): void {
    this.pod = pod;
    this.d.prober.addPod(pod);
  }

  /** The pod left the API (or the node no longer runs it). */
  removed(): void {
    this.gone = true;
    this.kick();
  }

  /** Takes over what the runtime already runs for this pod (a kubelet restart). */
  adopt(sandboxId: string, ip: string, containers: readonly ContainerStatus[]): void {
    this.sandboxId = sandboxId;
    this.ip = ip;
    for (const rec of this.records.adopt(containers)) this.d.prober.setContainer(this.uid, rec.name, rec.current);
  }

  /** Container ids of this pod's current and previous instances (for logs). */
  instance(name: string, previous: boolean): ContainerStatus | undefined {
    return this.records.instance(name, previous);
  }

  waitingOf(name: string): string | undefined {
    return this.records.get(name)?.waiting?.reason;
  }

  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    void this.loop();
  }

  /** Resolves when no sync is running or queued (tests, benchmarks). */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops the worker without touching the runtime (the kubelet stops; containers keep running). */
  close(): void {
    this.closed = true;
    if (this.slowSync) this.clock.clearTimeout(this.slowSync);
    this.slowSync = undefined;
    if (this.wake) this.clock.clearTimeout(this.wake.timer);
    this.wake = undefined;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      do {
        this.dirty = false;
        try {
          await this.sync();
        } catch (e) {
          this.d.logger.error(`Error syncing pod ${this.podName()}, skipping: ${(e as Error).message}`);
          this.wakeAt(this.clock.now() + RETRY_MS);
        }
      } while (this.dirty && !this.closed);
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private podName(): string {
    const m = this.pod.metadata;
    return `${m.name}_${m.namespace}(${m.uid})`;
  }

  private wakeAt(at: number): void {
    if (this.closed || (this.wake && this.wake.at <= at)) return;
    if (this.wake) this.clock.clearTimeout(this.wake.timer);
    const timer = this.clock.setTimeout(() => {
      this.wake = undefined;
      this.kick();
    }, Math.max(0, at - this.clock.now()));
    this.wake = { at, timer };
  }

  private async sync(): Promise<void> {
    if (this.gone || this.pod.metadata.deletionTimestamp) return this.terminate();
    if (this.finished) return;
    if (!(await this.ensureSandbox())) return;
    await this.refresh();
    const spec = this.spec;
    const init = spec.initContainers ?? [];
    const regular = spec.containers ?? [];
    for (const c of init) this.records.record(c.name, 'init', c.restartPolicy === 'Always');
    for (const c of regular) this.records.record(c.name, 'regular', false);
    const uid = this.uid;
    const actions = computePodActions({
      initContainers: init,
      containers: regular,
      restartPolicy: spec.restartPolicy ?? 'Always',
      records: this.records.map,
      instanceImage: (n) => this.records.get(n)?.image,
      mustRestart: (n) => this.d.prober.mustRestart(uid, n)?.message,
      started: (n) => this.d.prober.verdict(uid, n)?.started ?? true,
      killedForChange: (n) => this.records.get(n)?.killedForChange === true,
    });
    for (const k of actions.kill) {
      const rec = this.records.get(k.name);
      if (!rec?.current) continue;
      this.d.recorder.event(this.ref(k.name), 'Normal', 'Killing', k.message);
      rec.killedForChange = k.message.includes('definition changed') || undefined;
      await this.stopInstance(rec, this.graceMs());
    }
    const all = new Map([...init, ...regular].map((c) => [c.name, c]));
    if (actions.start.length && !this.slowSync) {
      this.slowSync = this.clock.setTimeout(() => {
        this.slowSync = undefined;
        if (!this.closed && !this.terminated) this.publish();
      }, SLOW_SYNC_MS);
    }
    try {
      for (const name of actions.start) await this.start(all.get(name)!);
    } finally {
      if (this.slowSync) this.clock.clearTimeout(this.slowSync);
      this.slowSync = undefined;
    }
    await this.refresh();
    this.publish();
    if (TERMINAL.has(this.lastPhase) && !this.records.anyRunning()) await this.finish();
  }

  private fieldPath(name: string): string {
    const init = (this.spec.initContainers ?? []).some((c) => c.name === name);
    return `spec.${init ? 'initContainers' : 'containers'}{${name}}`;
  }

  private ref(name: string): Obj {
    const m = this.pod.metadata;
    return { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, fieldPath: this.fieldPath(name) };
  }

  private graceMs(): number {
    const s = this.pod.metadata.deletionGracePeriodSeconds ?? this.spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, s) * 1000;
  }

  private async ensureSandbox(): Promise<boolean> {
    if (this.sandboxId) {
      const st = await this.d.runtime.sandboxStatus(this.sandboxId).catch(() => undefined);
      if (st?.state === 'ready') return true;
      // The sandbox died: everything in it restarts in a new one (upstream: "Pod sandbox changed, it will be killed and re-created").
      this.d.recorder.event({ ...this.ref(''), fieldPath: undefined }, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      await this.d.runtime.removeSandbox(this.sandboxId).catch(() => undefined);
      this.sandboxId = undefined;
      for (const r of this.records.values()) if (r.current) this.records.retire(r, this.d.runtime);
    }
    const hostNetwork = (this.spec as { hostNetwork?: boolean }).hostNetwork === true;
    const ipam = hostNetwork ? { allocate: () => this.d.hostIP, release: () => undefined } : this.d.ipam();
    const podRef = { kind: 'Pod', apiVersion: 'v1', namespace: this.pod.metadata.namespace, name: this.pod.metadata.name, uid: this.uid };
    if (!ipam) {
      this.publish();
      this.wakeAt(this.clock.now() + RETRY_MS);
      return false;
    }
    try {
      this.ip = ipam.allocate(this.uid);
      const m = this.pod.metadata;
      this.sandboxId = await this.d.runtime.createSandbox(this.uid, { ip: this.ip, name: m.name, namespace: m.namespace, hostname: m.name, labels: (m as { labels?: Record<string, string> }).labels });
      return true;
    } catch (e) {
      this.d.recorder.event(podRef, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
      this.publish();
      this.wakeAt(this.clock.now() + RETRY_MS * 5);
      return false;
    }
  }

  private async refresh(): Promise<void> {
    for (const r of this.records.values()) {
      if (!r.current || r.current.state === 'exited') continue;
      try {
        r.current = await this.d.runtime.containerStatus(r.current.id);
      } catch (e) {
        if (!isRuntimeError(e, 'NotFound')) throw e;
        r.current = undefined;
      }
      if (r.current?.state === 'exited') this.d.prober.setContainer(this.uid, r.name, r.current);
    }
  }

  private async start(c: SpecContainer & Obj): Promise<void> {
    const rec = this.records.get(c.name)!;
    const cur = rec.current;
    const now = this.clock.now();
    if (cur?.state === 'exited') {
      // The key carries the image, as upstream's stable key carries the spec hash: a new image starts without back-off.
      const key = `${this.uid}/${c.name}/${c.image}`;
      const since = cur.finishedAt ?? now;
      const changed = rec.killedForChange === true;
      if (!changed && this.d.restartBackoff.inBackoffSince(key, since, now)) {
        const delay = this.d.restartBackoff.get(key);
        this.d.recorder.event(this.ref(c.name), 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.podName()}`);
        rec.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${this.podName()}` };
        this.wakeAt(since + delay);
        return;
      }
      if (!changed) this.d.restartBackoff.next(key, since, now);
    }
    const res = await startContainer(this.d, { pod: this.pod, container: c as never, fieldPath: this.fieldPath(c.name), sandboxId: this.sandboxId!, podIP: this.ip ?? '', hostIP: this.d.hostIP });
    if ('waiting' in res) {
      rec.waiting = res.waiting;
      if (res.retryAt !== undefined) this.wakeAt(res.retryAt);
      return;
    }
    if (cur) this.records.retire(rec, this.d.runtime);
    else if (rec.ranBefore) rec.restartCount++;
    rec.ranBefore = undefined;
    rec.current = await this.d.runtime.containerStatus(res.id);
    rec.image = c.image;
    rec.waiting = undefined;
    rec.killedForChange = undefined;
    this.d.prober.setContainer(this.uid, c.name, rec.current);
  }

  private async stopInstance(rec: Rec, graceMs: number): Promise<void> {
    const cur = rec.current;
    if (!cur || cur.state === 'exited') return;
    try {
      await this.d.runtime.stopContainer(cur.id, graceMs);
      rec.current = await this.d.runtime.containerStatus(cur.id);
    } catch (e) {
      if (!isRuntimeError(e, 'NotFound')) throw e;
    }
    this.d.prober.setContainer(this.uid, rec.name, rec.current);
  }

  private publish(): void {
    const view = podViewOf({
      pod: this.pod,
      spec: this.spec,
      records: this.records.map,
      verdict: (n) => this.d.prober.verdict(this.uid, n),
      hostIP: this.d.hostIP,
      podIP: this.ip,
      sandboxId: this.sandboxId,
      sandboxDown: this.terminated || this.finished,
      terminated: this.terminated,
    });
    const status = this.d.generate(view, this.clock.now());
    this.lastPhase = String(status.phase ?? '');
    this.d.status.setPodStatus(this.pod, status);
  }

  /** A pod that ran to completion: its sandbox stops and its IP is released; the records stay for logs. */
  private async finish(): Promise<void> {
    this.finished = true;
    if (this.sandboxId) await this.d.runtime.stopSandbox(this.sandboxId).catch(() => undefined);
    this.releaseIp();
    this.d.prober.removePod(this.uid);
  }

  private releaseIp(): void {
    if ((this.spec as { hostNetwork?: boolean }).hostNetwork !== true) this.d.ipam()?.release(this.uid);
  }

  private async terminate(): Promise<void> {
    if (!this.terminated) {
      const stopCtx = { runtime: this.d.runtime, clock: this.clock, recorder: this.d.recorder, spec: this.spec, ref: (n: string) => this.ref(n), stopInstance: (r: Rec, ms: number) => this.stopInstance(r, ms) };
      await stopContainers(stopCtx, [...this.records.values()], this.graceMs());
      await this.refresh();
      if (this.sandboxId) await this.d.runtime.stopSandbox(this.sandboxId).catch(() => undefined);
      this.releaseIp();
      this.d.prober.removePod(this.uid);
      this.terminated = true;
      if (!this.gone) {
        this.publish();
        this.d.status.terminated(this.pod);
      }
    }
    if (this.gone) {
      if (this.sandboxId) await this.d.runtime.removeSandbox(this.sandboxId).catch(() => undefined);
      this.sandboxId = undefined;
      this.d.restartBackoff.forgetPrefix(`${this.uid}/`);
      this.d.pullBackoff.forgetPrefix(`${this.uid}/`);
      this.d.status.removePod(this.uid);
      this.close();
      this.d.onGone(this.uid);
    }
  }
}
