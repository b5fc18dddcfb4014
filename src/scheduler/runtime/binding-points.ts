/**
 * The extension points after a node is chosen (upstream frameworkImpl RunReservePlugins*, RunPermitPlugins,
 * WaitOnPermit, RunPreBindPlugins, RunBindPlugins, RunPostBindPlugins), run over a Framework's plugin lists:
 * a rejection keeps its status (with the plugin's name), anything else not Success becomes Error
 * `running <Point> plugin "<name>": <message>`. Unreserve runs in reverse order and never fails; Permit Wait parks
 * the pod in the framework's waitingPods with the shortest timeout (max 15 min); Bind plugins answering Skip pass
 * to the next; PostBind is informational.
 */
import { Status, type CycleState, type Pod } from '../framework';
import { guard, type Framework } from './framework';
import { WaitingPod } from './waiting-pods';

const MAX_PERMIT_TIMEOUT_MS = 15 * 60 * 1000;

export async function runReservePluginsReserve(fwk: Framework, state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
  for (const pl of fwk.reservePlugins) {
    let s: Status;
    try {
      s = await pl.reserve(state, pod, nodeName);
    } catch (e) {
      s = Status.error(e instanceof Error ? e : String(e));
    }
    if (!s.isSuccess()) {
      if (s.isRejected()) return s.withPlugin(pl.name);
      return Status.error(`running Reserve plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
    }
  }
  return Status.success();
}

export async function runReservePluginsUnreserve(fwk: Framework, state: CycleState, pod: Pod, nodeName: string): Promise<void> {
  for (let i = fwk.reservePlugins.length - 1; i >= 0; i--) {
    const pl = fwk.reservePlugins[i];
    try {
      await pl.unreserve(state, pod, nodeName);
    } catch (e) {
      fwk.logger.error(`Unreserve plugin ${pl.name} failed: ${String(e)}`);
    }
  }
}

export function runPermitPlugins(fwk: Framework, state: CycleState, pod: Pod, nodeName: string): Status {
  const waits = new Map<string, number>();
  for (const pl of fwk.permitPlugins) {
    const r = guard(() => pl.permit(state, pod, nodeName), (e) => ({ status: Status.error(e), timeoutMs: 0 }));
    const s = r.status;
    if (s.isSuccess()) continue;
    if (s.isRejected()) return s.withPlugin(pl.name);
    if (s.code === 'Wait') {
      waits.set(pl.name, Math.min(r.timeoutMs, MAX_PERMIT_TIMEOUT_MS));
      continue;
    }
    return Status.error(`running Permit plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
  }
  if (waits.size === 0) return Status.success();
  fwk.waitingPods.set(String(pod.metadata?.uid ?? ''), new WaitingPod(pod, waits, fwk.clock));
  return new Status('Wait', [`one or more plugins asked to wait and no plugin rejected pod "${String(pod.metadata?.name ?? '')}"`]);
}

export async function waitOnPermit(fwk: Framework, pod: Pod): Promise<Status> {
  const uid = String(pod.metadata?.uid ?? '');
  const wp = fwk.waitingPods.get(uid);
  if (!wp) return Status.success();
  const s = await wp.done;
  fwk.waitingPods.delete(uid);
  return s;
}

export async function runPreBindPlugins(fwk: Framework, state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
  for (const pl of fwk.preBindPlugins) {
    const s = await pl.preBind(state, pod, nodeName).catch((e: unknown) => Status.error(e instanceof Error ? e : String(e)));
    if (s.isSuccess()) continue;
    if (s.isRejected()) return s.withPlugin(pl.name);
    return Status.error(`running PreBind plugin "${pl.name}": ${s.message()}`).withPlugin(pl.name);
  }
  return Status.success();
}

export async function runBindPlugins(fwk: Framework, state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
  let status = Status.skip();
  for (const pl of fwk.bindPlugins) {
    status = await pl.bind(state, pod, nodeName).catch((e: unknown) => Status.error(e instanceof Error ? e : String(e)));
    if (status.code === 'Skip') continue;
    if (status.isSuccess()) return status;
    if (status.isRejected()) return status.withPlugin(pl.name);
    return Status.error(`running Bind plugin "${pl.name}": ${status.message()}`).withPlugin(pl.name);
  }
  return status;
}

export function runPostBindPlugins(fwk: Framework, state: CycleState, pod: Pod, nodeName: string): void {
  for (const pl of fwk.postBindPlugins) guard(() => pl.postBind(state, pod, nodeName), (e) => fwk.logger.error(`PostBind plugin ${pl.name} failed: ${e.message}`));
}
