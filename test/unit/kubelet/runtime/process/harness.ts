/**
 * Shared helpers for the process runtime's unit tests: a runtime on a FakeClock (log timestamps and grace timers
 * move only when the test says; processes are real) in a temporary rootDir, container specs running `node -e`
 * with this very Node binary, waiting in real time, and whether a pid is still alive (a zombie counts as dead).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeClock } from '../../../../../src/base/clock';
import { ProcessRuntime } from '../../../../../src/kubelet/runtime/process/process-runtime';
import type { ContainerEvent, ContainerSpec, ContainerStatus } from '../../../../../src/kubelet/runtime/runtime';

export const NODE = process.execPath;
export const IMAGE = 'busybox:1.36';

export interface Rig {
  runtime: ProcessRuntime;
  clock: FakeClock;
  rootDir: string;
  events: ContainerEvent[];
  /** Pull IMAGE, make a sandbox, create the container; not started. */
  create(spec: Partial<ContainerSpec>): Promise<{ id: string; sandboxId: string }>;
  /** create + start. */
  run(spec: Partial<ContainerSpec>): Promise<{ id: string; sandboxId: string }>;
}

export const nodeSpec = (script: string, extra: Partial<ContainerSpec> = {}): Partial<ContainerSpec> => ({ command: [NODE, '-e', script], ...extra });

/** Run fn with a fresh rig; the runtime is disposed and the rootDir removed afterwards. */
export const withRig = (fn: (r: Rig) => Promise<void>) => async () => {
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-process-unit-'));
  const clock = new FakeClock();
  const runtime = new ProcessRuntime({ clock, rootDir, nodeName: 'unit' });
  const events: ContainerEvent[] = [];
  runtime.onContainerEvent((e) => events.push(e));
  let n = 0;
  const create = async (spec: Partial<ContainerSpec>) => {
    await runtime.pullImage(IMAGE);
    const sandboxId = await runtime.createSandbox(`uid-${++n}`, { ip: '10.244.1.9', name: `p${n}`, namespace: 'default' });
    const id = await runtime.createContainer(sandboxId, { name: `c${n}`, image: IMAGE, ...spec });
    return { id, sandboxId };
  };
  const run = async (spec: Partial<ContainerSpec>) => {
    const c = await create(spec);
    await runtime.startContainer(c.id);
    return c;
  };
  try {
    await fn({ runtime, clock, rootDir, events, create, run });
  } finally {
    runtime.dispose();
    fs.rmSync(rootDir, { recursive: true, force: true, maxRetries: 5 });
  }
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll (real time) until check returns a value that is not undefined/false. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, maxMs = 10_000): Promise<T> {
  const until = Date.now() + maxMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const waitExited = (r: Rig, id: string, maxMs = 10_000): Promise<ContainerStatus> =>
  waitFor(`container ${id.slice(0, 12)} to exit`, async () => {
    const s = await r.runtime.containerStatus(id);
    return s.state === 'exited' && s;
  }, maxMs);

export const waitLog = (r: Rig, id: string, text: string, maxMs = 10_000): Promise<string> =>
  waitFor(`"${text}" in the log`, async () => {
    const log = await r.runtime.logs(id);
    return log.includes(text) && log;
  }, maxMs);

/** Whether pid is a live process (a zombie is dead; without /proc, whether it can be signalled). */
export function alive(pid: number): boolean {
  if (fs.existsSync('/proc/self/stat')) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
