/**
 * The `process` runtime runs the ContainerRuntime conformance suite with real processes on the system clock: each
 * harness gets a fresh temporary rootDir (removed afterwards), harness time is real time, and pulls are immediate
 * (no registry: there is no image it cannot pull). Sandboxes report 127.0.0.1.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { systemClock } from '../../src/base/clock';
import { ProcessRuntime } from '../../src/kubelet/runtime/process/process-runtime';
import type { RuntimeHarness } from './container-runtime-assert';
import { containerRuntimeConformance } from './container-runtime.conformance';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function processHarness(): Promise<RuntimeHarness> {
  const rootDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubelab-process-conformance-'));
  return {
    runtime: new ProcessRuntime({ clock: systemClock, rootDir, nodeName: 'conformance' }),
    pullMs: 0,
    images: { shell: 'busybox:1.36', other: 'nginx' },
    sandboxIp: '127.0.0.1',
    advance: sleep,
    cleanup: () => fs.rm(rootDir, { recursive: true, force: true, maxRetries: 5 }),
  };
}

containerRuntimeConformance('process', processHarness);
