/**
 * A prober manager driven the way the pod worker drives it, on a FakeClock with the real SimRuntime: pods are
 * added, their containers created and started in a sandbox (IP 10.244.1.5), each instance handed over with
 * setContainer; events and onChange calls are recorded with their clock time.
 */
import { FakeClock } from '../../../../src/base/clock';
import { silentLogger } from '../../../../src/base/logger';
import { ProberManager, type PodLike } from '../../../../src/kubelet/prober/prober-manager';
import type { ContainerSpec } from '../../../../src/kubelet/runtime/runtime';
import { SimRuntime } from '../../../../src/kubelet/runtime/sim/sim-runtime';

export const POD_IP = '10.244.1.5';
export const UID = 'uid-1';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export type ApiContainer = Record<string, unknown> & { name: string; image?: string };

export function makePod(containers: ApiContainer[], spec: Record<string, unknown> = {}): PodLike {
  return { metadata: { uid: UID, name: 'web', namespace: 'default' }, spec: { restartPolicy: 'Always', containers, ...spec } };
}

export interface Recorded {
  time: number;
  type: string;
  reason: string;
  message: string;
  fieldPath?: string;
}

export async function proberHarness(options: { random?: () => number; age?: number } = {}) {
  const clock = new FakeClock();
  const runtime = new SimRuntime({ clock, pullMs: 0 });
  const events: Recorded[] = [];
  const changes: number[] = [];
  const manager = new ProberManager({
    runtime,
    clock,
    logger: silentLogger,
    event: (_pod, type, reason, message, fieldPath) => events.push({ time: clock.now(), type, reason, message, fieldPath }),
    onChange: () => changes.push(clock.now()),
    random: options.random ?? (() => 0),
  });
  // A manager older than any period does not jitter first probes (upstream: only a kubelet that just started).
  if (options.age) clock.advance(options.age);
  const sandboxId = await runtime.createSandbox(UID, { ip: POD_IP, name: 'web', namespace: 'default' });
  const ids = new Map<string, string>();

  const advance = async (ms: number) => {
    for (let done = 0; done < ms; done += 100) {
      clock.advance(Math.min(100, ms - done));
      await flush();
    }
  };

  /** Create and start a container of the pod and hand the instance to the manager. */
  const run = async (pod: PodLike, name: string) => {
    const spec = pod.spec as { containers: ApiContainer[]; initContainers?: ApiContainer[] };
    const c = [...(spec.initContainers ?? []), ...spec.containers].find((x) => x.name === name)!;
    const image = c.image ?? 'busybox:1.36';
    const pulled = runtime.pullImage(image);
    clock.advance(0);
    await pulled;
    const rs: ContainerSpec = { name, image, ...(pick(c, ['command', 'args', 'env', 'ports', 'workingDir']) as Partial<ContainerSpec>) };
    const id = await runtime.createContainer(sandboxId, rs);
    await runtime.startContainer(id);
    ids.set(name, id);
    manager.setContainer(UID, name, await runtime.containerStatus(id));
    return id;
  };

  /** Hand the container's current runtime status to the manager again (after it changed). */
  const sync = async (name: string) => manager.setContainer(UID, name, await runtime.containerStatus(ids.get(name)!));

  const dispose = () => {
    manager.dispose();
    runtime.dispose();
  };

  const messages = (reason = 'Unhealthy') => events.filter((e) => e.reason === reason).map((e) => e.message);
  return { clock, runtime, manager, events, changes, advance, run, sync, ids, dispose, messages, flush };
}

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

export const sh = (script: string) => ({ command: ['sh', '-c', script] });
export const execProbe = (command: string[], more: Record<string, unknown> = {}) => ({ exec: { command }, ...more });
export const httpProbe = (port: number | string, path = '/', more: Record<string, unknown> = {}) => ({ httpGet: { port, path }, ...more });
