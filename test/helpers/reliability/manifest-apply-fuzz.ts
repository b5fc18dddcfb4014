/**
 * The extension's manifest apply path under fuzzing (issue 11, Bad input): files from manifest-inputs.ts go through
 * what "KubeLab: Apply Manifest" does — the size check (sizeRefusal), parseManifests, ManifestRunner.run('apply') —
 * against the real API server in-process (startTestCluster), as src/vscode/manifest-commands.ts drives it.
 *
 * Properties checked per file (each breach is a violation string naming the file and how it was made):
 * - nothing throws (a throw is a crash of the command);
 * - every problem, diagnostic and error is a clear message (no `undefined`, `[object Object]`, JS error names,
 *   stack overflows), on a range inside the file; a document that yields no object says why;
 * - a document with an error is not sent; every good document is sent whatever its neighbours are (see the report
 *   for how this differs from kubectl);
 * - no 5xx from the server; time per file within `maxFileMs`;
 * - nothing invalid stored: at the end, every stored object named `${tag}-…` is one an apply reported as done.
 * Also the big-file path: a file of `bigFileMb` is refused by size before it is read (time and heap measured).
 * Returns figures, no asserts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import fc from 'fast-check';
import type { KubeObject } from '../../../src/api/object';
import { MAX_MANIFEST_BYTES, ManifestRunner, parseManifests, sizeRefusal, type ManifestDocument, type ManifestRun } from '../../../src/ui/manifest';
import type { Transport } from '../../../src/client/transport';
import { startTestCluster } from '../apiserver';
import { manifestCaseArb, type ManifestCase } from './manifest-inputs';

export interface ManifestFuzzOptions {
  cases: number;
  seed?: number;
  /** A file's parse + apply must finish within this (default 20 s). */
  maxFileMs?: number;
  /** Size of the big file fed to the size check (default 50 MB; 0 skips it). */
  bigFileMb?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ManifestFuzzResult {
  manifests: number;
  documents: number;
  applied: number;
  refusedDocuments: number;
  crashes: number;
  unclearErrors: number;
  serverErrors: number;
  maxFileMs: number;
  /** Highest heap in use seen after a file, minus the heap before the first (MB; garbage included). */
  heapPeakGrowthMb: number;
  /** Heap in use after the last file minus before the first, both after a full GC (MB): what the path retains. */
  heapRetainedMb: number;
  bigFile?: { mb: number; refused: boolean; message: string; ms: number; heapGrowthMb: number };
  /** A file just under the size limit (small ConfigMaps): parse time and heap held by the parsed documents. */
  limitFile?: { mb: number; documents: number; parseMs: number; heapMb: number };
  violations: string[];
  ms: number;
}

const UNCLEAR = /undefined|\[object |NaN|TypeError|ReferenceError|RangeError|Cannot read prop|is not a function|call stack|^\s*$/;
const KINDS: [string, string][] = [['/api/v1', 'configmaps'], ['/api/v1', 'secrets'], ['/api/v1', 'services'], ['/api/v1', 'serviceaccounts'], ['/apis/apps/v1', 'deployments']];
const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

/** Heap in use after a full garbage collection (gc exposed at run time, as --expose-gc would). */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

export function emptyManifestResult(): ManifestFuzzResult {
  return { manifests: 0, documents: 0, applied: 0, refusedDocuments: 0, crashes: 0, unclearErrors: 0, serverErrors: 0, maxFileMs: 0, heapPeakGrowthMb: 0, heapRetainedMb: 0, violations: [], ms: 0 };
}

export async function runManifestFuzz(o: ManifestFuzzOptions): Promise<ManifestFuzzResult> {
  const started = Date.now();
  const tag = `fz${(o.seed ?? 11).toString(36)}`;
  const r = emptyManifestResult();
  const tc = await startTestCluster();
  try {
    const transport = tc.inProcess();
    const runner = new ManifestRunner(transport);
    const done = new Set<string>();
    const heap0 = heapAfterGc();
    const cases = fc.sample(manifestCaseArb(tag), { seed: o.seed ?? 11, numRuns: o.cases });
    for (const [n, c] of cases.entries()) {
      const t0 = Date.now();
      const applied = await applyFile(runner, c, r);
      const ms = Date.now() - t0;
      r.maxFileMs = Math.max(r.maxFileMs, ms);
      if (ms > (o.maxFileMs ?? 20_000)) r.violations.push(`${c.what}: took ${ms} ms`);
      if (applied) checkRun(c, applied.docs, applied.run, r, done);
      r.heapPeakGrowthMb = Math.max(r.heapPeakGrowthMb, mb(process.memoryUsage().heapUsed - heap0));
      o.onProgress?.(n + 1, cases.length);
    }
    r.heapRetainedMb = mb(heapAfterGc() - heap0);
    await checkStored(transport, tag, done, r);
    if (o.bigFileMb !== 0) {
      r.bigFile = bigFile(tc.dir, o.bigFileMb ?? 50, r);
      r.limitFile = limitFile();
    }
  } finally {
    await tc.stop();
  }
  r.ms = Date.now() - started;
  return r;
}

/** The command's path for one file: size check, parse, apply. Undefined when refused or crashed. */
async function applyFile(runner: ManifestRunner, c: ManifestCase, r: ManifestFuzzResult): Promise<{ docs: ManifestDocument[]; run: ManifestRun } | undefined> {
  r.manifests++;
  if (sizeRefusal(c.name, Buffer.byteLength(c.text))) return undefined;
  try {
    const docs = parseManifests(c.text, c.name);
    r.documents += docs.length;
    return { docs, run: await runner.run(docs, 'apply', c.name) };
  } catch (e) {
    r.crashes++;
    r.violations.push(`${c.what}: CRASH ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
    return undefined;
  }
}

/** The per-file properties (see the top of the file); breaches go to r.violations. */
export function checkRun(c: ManifestCase, docs: ManifestDocument[], run: ManifestRun, r: ManifestFuzzResult, done: Set<string>): void {
  const lines = c.text.split('\n').length;
  const bad = (msg: string) => r.violations.push(`${c.what}: ${msg}`);
  const unclear = (where: string, msg: unknown) => {
    r.unclearErrors++;
    bad(`unclear ${where}: ${JSON.stringify(String(msg).slice(0, 200))}`);
  };
  for (const d of run.diagnostics) {
    if (typeof d.message !== 'string' || UNCLEAR.test(d.message)) unclear('diagnostic', d.message);
    if (d.range.start.line < 0 || d.range.end.line > lines) bad(`diagnostic outside the file: lines ${d.range.start.line}-${d.range.end.line} of ${lines}`);
  }
  const outcomes = new Map(run.outcomes.map((o) => [o.doc, o]));
  for (const d of docs) {
    const failed = d.problems.filter((p) => p.severity === 'error');
    for (const p of d.problems) if (UNCLEAR.test(p.message)) unclear(`problem of document ${d.index}`, p.message);
    if (!d.object && !failed.length) bad(`document ${d.index} has no object and says nothing about why`);
    if (failed.length) {
      r.refusedDocuments++;
      if (outcomes.has(d)) bad(`document ${d.index} was sent despite: ${failed[0].message}`);
    } else if (d.object && !outcomes.has(d)) bad(`good document ${d.index} was not sent`);
  }
  for (const o of run.outcomes) {
    if (o.error !== undefined) {
      if (UNCLEAR.test(o.error) || !/^(Error from server|error: )/.test(o.error)) unclear(`error of document ${o.doc.index}`, o.error);
      if ((o.code ?? 0) >= 500) {
        r.serverErrors++;
        bad(`document ${o.doc.index}: server error ${o.code}: ${o.error}`);
      }
    } else if (o.line) {
      r.applied++;
      const obj = o.doc.object as KubeObject;
      done.add(`${String(obj.kind)}/${String((obj.metadata as { name?: unknown } | undefined)?.name)}`);
    } else bad(`document ${o.doc.index}: an outcome with neither a line nor an error`);
  }
}

/** Every stored object named `${tag}-…` must be one an apply reported as done. */
async function checkStored(transport: Transport, tag: string, done: Set<string>, r: ManifestFuzzResult): Promise<void> {
  const kindOf: Record<string, string> = { configmaps: 'ConfigMap', secrets: 'Secret', services: 'Service', serviceaccounts: 'ServiceAccount', deployments: 'Deployment' };
  for (const [base, resource] of KINDS) {
    const res = await transport.request({ method: 'GET', path: `${base}/${resource}` });
    const items = ((res.body as { items?: { metadata: { name: string } }[] }).items ?? []).filter((i) => i.metadata.name.startsWith(`${tag}-`));
    for (const i of items) if (!done.has(`${kindOf[resource]}/${i.metadata.name}`)) r.violations.push(`${kindOf[resource]} ${i.metadata.name} is stored but no apply reported it`);
  }
}

const bigDoc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big-${i}\ndata:\n  v: "${'x'.repeat(1000)}"\n---\n`;

function limitFile(): ManifestFuzzResult['limitFile'] {
  const parts: string[] = [];
  for (let i = 0, size = 0; size + 1100 < MAX_MANIFEST_BYTES; i++) size += Buffer.byteLength(parts[parts.push(bigDoc(i)) - 1]);
  const text = parts.join('');
  const heap0 = heapAfterGc();
  const t0 = Date.now();
  const docs = parseManifests(text, 'limit.yaml');
  const parseMs = Date.now() - t0;
  const heapMb = mb(heapAfterGc() - heap0);
  return { mb: mb(Buffer.byteLength(text)), documents: docs.length, parseMs, heapMb };
}

/** A `mb` MB manifest on disk through the command's size check (stat, before reading). */
function bigFile(dir: string, sizeMb: number, r: ManifestFuzzResult): ManifestFuzzResult['bigFile'] {
  const file = path.join(dir, 'big.yaml');
  const fd = fs.openSync(file, 'w');
  for (let i = 0, size = 0; size < sizeMb * 1048576; i++) size += fs.writeSync(fd, bigDoc(i));
  fs.closeSync(fd);
  const heap0 = heapAfterGc();
  const t0 = process.hrtime.bigint();
  const message = sizeRefusal(file, fs.statSync(file).size) ?? '';
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.rmSync(file);
  const refused = message.includes('big.yaml') && message.includes('8 MB');
  if (!refused) r.violations.push(`a ${sizeMb} MB file was not refused by size: ${message}`);
  return { mb: sizeMb, refused, message, ms: Math.round(ms * 100) / 100, heapGrowthMb: mb(Math.max(0, process.memoryUsage().heapUsed - heap0)) };
}
