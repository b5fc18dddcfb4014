/**
 * Shared pieces of the ContainerRuntime conformance suite: the harness an implementation provides, assertions on
 * RuntimeError, and helpers that run a container to its end in harness time.
 */
import * as assert from 'node:assert/strict';
import { RuntimeError, type RuntimeErrorReason } from '../../src/kubelet/runtime/errors';
import type { ContainerRuntime, ContainerSpec, ContainerStatus } from '../../src/kubelet/runtime/runtime';

export interface RuntimeHarness {
  runtime: ContainerRuntime;
  /** Let `ms` of the runtime's time pass (a fake clock advanced in steps with I/O in between, or real time). */
  advance(ms: number): Promise<void>;
  /** Harness time that any pull of an image takes at most. */
  pullMs: number;
  /**
   * Images the runtime can pull (two different ones) and one it cannot (a registry without the repository); a
   * runtime without a registry behind it, whose pulls all succeed, gives no `missing`.
   */
  images: { shell: string; other: string; missing?: string };
  /** The IP every sandbox reports when the runtime does not use the CNI's (process: 127.0.0.1); else config.ip. */
  sandboxIp?: string;
  cleanup(): Promise<void>;
}

export type RuntimeFactory = () => Promise<RuntimeHarness>;

export const T = { timeout: 30_000 };

/** Run fn with a fresh harness; cleanup always. */
export const withHarness = (factory: RuntimeFactory, fn: (h: RuntimeHarness) => Promise<void>) => async () => {
  const h = await factory();
  try {
    await fn(h);
  } finally {
    h.runtime.dispose();
    await h.cleanup();
  }
};

export async function rejectsWithReason(p: Promise<unknown>, reason: RuntimeErrorReason, messageIncludes: (string | RegExp)[] = []): Promise<RuntimeError> {
  let err: unknown;
  try {
    const v = await p;
    assert.fail(`expected RuntimeError '${reason}', but the call resolved with ${JSON.stringify(v)?.slice(0, 300)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  assert.ok(err instanceof RuntimeError, `expected a RuntimeError '${reason}', got ${String(err)}`);
  assert.equal(err.reason, reason, `wrong reason (message: ${err.message})`);
  for (const part of messageIncludes) {
    if (typeof part === 'string') assert.ok(err.message.includes(part), `message ${JSON.stringify(err.message)} should contain ${JSON.stringify(part)}`);
    else assert.match(err.message, part);
  }
  return err;
}

/** Pull while advancing time; resolves with the pull's result or rejects with its error. */
export async function pull(h: RuntimeHarness, ref: string, policy?: Parameters<ContainerRuntime['pullImage']>[1]) {
  const p = h.runtime.pullImage(ref, policy);
  p.catch(() => undefined);
  let settled = false;
  void p.finally(() => (settled = true)).catch(() => undefined);
  for (let waited = 0; !settled && waited <= h.pullMs + 1000; waited += 100) await h.advance(100);
  return p;
}

export const shellSpec = (h: RuntimeHarness, name: string, script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name,
  image: h.images.shell,
  command: ['sh', '-c', script],
  ...extra,
});

/** Pull the shell image, create a sandbox and a container in it (not started). */
export async function createIn(h: RuntimeHarness, spec: ContainerSpec, podUid = 'pod-1'): Promise<{ sandboxId: string; id: string }> {
  await pull(h, spec.image);
  const sandboxId = await h.runtime.createSandbox(podUid, { ip: '10.244.1.5', name: 'p', namespace: 'default' });
  const id = await h.runtime.createContainer(sandboxId, spec);
  return { sandboxId, id };
}

/** Create, start, and advance time until it has exited (at most maxMs); returns its final status. */
export async function runToExit(h: RuntimeHarness, spec: ContainerSpec, maxMs = 10_000): Promise<ContainerStatus & { logs: string }> {
  const { id } = await createIn(h, spec);
  await h.runtime.startContainer(id);
  const status = await waitExited(h, id, maxMs);
  return { ...status, logs: await h.runtime.logs(id) };
}

export async function waitExited(h: RuntimeHarness, id: string, maxMs: number): Promise<ContainerStatus> {
  for (let waited = 0; ; waited += 50) {
    const s = await h.runtime.containerStatus(id);
    if (s.state === 'exited') return s;
    if (waited > maxMs) assert.fail(`container still ${s.state} after ${maxMs} ms`);
    await h.advance(50);
  }
}
