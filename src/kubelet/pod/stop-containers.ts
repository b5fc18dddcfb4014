/**
 * Stopping a terminating pod's containers (upstream killContainersWithSyncResult + killContainer): the Killing event
 * first, then the container's preStop hook within the grace period, then SIGTERM with what is left of it (at least
 * 2 s after a hook, upstream's minimumGracePeriodInSeconds) and SIGKILL at its end. Regular containers stop together;
 * sidecars after them, in reverse order (upstream 1.29+).
 */
import type { Clock } from '../../base/clock';
import type { EventRecorder } from '../../client/events';
import type { ContainerRuntime } from '../runtime/runtime';
import { runPreStop } from './pre-stop';
import type { Obj, PodSpec, Rec } from './worker-deps';

const MIN_GRACE_AFTER_HOOK_MS = 2000;

export interface StopContext {
  runtime: ContainerRuntime;
  clock: Clock;
  recorder: EventRecorder;
  spec: PodSpec;
  /** The event reference of a container (its field path). */
  ref(name: string): Obj;
  /** Stops one instance with this grace (SIGTERM, then SIGKILL when it runs out). */
  stopInstance(rec: Rec, graceMs: number): Promise<void>;
}

export async function stopContainers(ctx: StopContext, records: readonly Rec[], graceMs: number): Promise<void> {
  const deadline = ctx.clock.now() + graceMs;
  const running = records.filter((r) => r.current && r.current.state !== 'exited');
  const stop = async (r: Rec) => {
    const spec = [...(ctx.spec.containers ?? []), ...(ctx.spec.initContainers ?? [])].find((c) => c.name === r.name) as Obj | undefined;
    const preStop = ((spec?.lifecycle ?? {}) as Obj).preStop as Obj | undefined;
    ctx.recorder.event(ctx.ref(r.name), 'Normal', 'Killing', `Stopping container ${r.name}`);
    let ranHook = false;
    if (preStop && r.current && graceMs > 0) {
      ranHook = true;
      const failed = await runPreStop(ctx.runtime, ctx.clock, r.current.id, preStop, graceMs);
      if (failed) ctx.recorder.event(ctx.ref(r.name), 'Warning', 'FailedPreStopHook', `PreStopHook failed`);
    }
    const left = Math.max(0, deadline - ctx.clock.now());
    await ctx.stopInstance(r, ranHook ? Math.max(left, MIN_GRACE_AFTER_HOOK_MS) : left);
  };
  await Promise.all(running.filter((r) => !r.sidecar).map(stop));
  for (const r of running.filter((x) => x.sidecar).reverse()) await stop(r);
}
