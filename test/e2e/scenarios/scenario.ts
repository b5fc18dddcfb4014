/**
 * What a UI scenario is and what it gets: the workbench page, the code-server it runs on, the cluster's API (from the
 * kubeconfig the extension wrote into its global storage), where screenshots go, and a sink for benchmark lines.
 *
 * Contract: a scenario throws (with what it awaited and saw) to fail; the runner takes its screenshot either way and
 * enforces `timeoutMs`. Scenarios run in order on one page and may rely on the ones before (2 applies web.yaml, 4 and
 * 5 use its pods).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { CodeServer } from '../harness/code-server';
import { kubeFromKubeconfig, type Kube } from '../harness/kube';
import { poll } from '../harness/workbench';

export interface BenchLine {
  bench: 'vscode';
  metric: string;
  value: number;
  unit: string;
  better: 'lower' | 'higher';
  target?: number;
}

export interface ScenarioContext {
  page: Page;
  server: CodeServer;
  log(message: string): void;
  bench(line: Omit<BenchLine, 'bench'>): void;
  /** The cluster's API, once the extension has written its kubeconfig (waits up to 60 s). */
  kube(): Promise<Kube>;
}

export interface Scenario {
  /** File-name friendly: the screenshot is test-artifacts/e2e/<name>.png. */
  name: string;
  title: string;
  timeoutMs: number;
  run(ctx: ScenarioContext): Promise<void>;
}

/** Where the extension keeps its cluster (global storage of kubelab.kubelab under the run's user data). */
export function kubeconfigPath(userData: string): string {
  return path.join(userData, 'User', 'globalStorage', 'kubelab.kubelab', 'cluster', 'kubeconfig');
}

/** A lazily created Kube for the run (one per run, closed by the runner). */
export function lazyKube(userData: string): { get(): Promise<Kube>; close(): void } {
  let kube: Kube | undefined;
  return {
    async get() {
      if (kube) return kube;
      const file = kubeconfigPath(userData);
      await poll(async () => fs.existsSync(file), `the kubeconfig at ${file}`, 60_000);
      kube = kubeFromKubeconfig(file);
      return kube;
    },
    close() {
      kube?.close();
    },
  };
}

/** Items of a list response (`{ items: [...] }`), typed loosely. */
export function items(body: unknown): Record<string, unknown>[] {
  const list = (body as { items?: unknown })?.items;
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}
