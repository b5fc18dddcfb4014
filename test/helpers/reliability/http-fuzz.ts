/**
 * The HTTP fuzz scenario (issue 11, Bad input): fast-check drives random and mutated requests (http-arbitraries.ts)
 * at a real KubeLab API server over HTTPS — the cluster of test/helpers/apiserver.ts (store, watch cache, full handler
 * chain, HTTPS binding) with a memory logger — `concurrency` at a time. Each response is checked
 * (http-response-check.ts). At the end: the server still answers /readyz, no uncaught exception or unhandled error
 * was logged, every value under /registry/ is well-formed JSON, and every object the fuzzer got stored passes
 * semantic validation (src/apiserver/validation), as test/integration/manifest-fuzz.test.ts re-validates.
 *
 * Contract: `runHttpFuzz(options)` never asserts; it returns figures and violations (readable strings). With
 * `stopOnViolation` (default) the run stops at the first violation, which fast-check replays alone and shrinks
 * (`counterexample`); the sequence is `fc.sample(arbitrary, seed)`, so run i replays with `{ seed, path: "i" }`.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import { fieldErrorMessage } from '../../../src/api/field-errors';
import type { KubeObject } from '../../../src/api/object';
import { builtinResources } from '../../../src/api/resources';
import { memoryLogger } from '../../../src/base/logger';
import { startCluster, type RunningCluster } from '../../../src/cluster/main';
import { ESSENTIAL_CONTROLLERS } from '../../../src/controllers/registry';
import { hasValidation, validateCreate, validateUpdate } from '../../../src/apiserver/validation';
import { pool } from '../wait';
import { fuzzRequest, type FuzzRequest } from './http-arbitraries';
import { sendFuzzRequest, type Sent } from './http-send';
import { checkResponse, classify, type FuzzResponse } from './http-response-check';

export interface HttpFuzzOptions {
  /** Requests to send (about: batches vary in size). */
  requests: number;
  /** Most requests in flight at once. */
  concurrency?: number;
  seed?: number;
  /** Stop at the first violation and shrink it (default); otherwise collect every violation. */
  stopOnViolation?: boolean;
  /** Called now and then with progress. */
  progress?: (msg: string) => void;
}

export interface HttpFuzzResult {
  seed: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Longest the (shared) event loop was blocked during the run: a request that takes the server this long stalls all. */
  maxEventLoopBlockMs: number;
  /** Responses by outcome class (see classify). */
  outcomes: Record<string, number>;
  fiveXX: number;
  crashes: number;
  malformedErrors: number;
  /** Requests that got no answer (connection dropped or timed out), bodies beyond the limit excepted. */
  unanswered: number;
  /** Objects returned by 2xx writes, validated at once. */
  writtenChecked: number;
  /** Objects the fuzzer wrote still in the store at the end, re-validated. */
  storedChecked: number;
  /** Invalid objects among both. */
  invalidStored: number;
  /** The five slowest requests (ms, request, outcome). */
  slowest: string[];
  violations: string[];
  counterexample?: string;
}

const NS = 'fuzz';
function contentTypeOf(r: FuzzRequest): string {
  const v = r.headers['content-type'];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** The problem with the answer to `r`, or undefined. */
function problemOf(r: FuzzRequest, s: Sent): string | undefined {
  // A body beyond the limit may be cut off by the server's 413 and connection close before the client reads it.
  if (!s.res) return r.body?.kind === 'over-limit' ? undefined : `no answer: ${s.error}`;
  return checkResponse(r.method, r.target, contentTypeOf(r), s.res);
}

/**
 * Replays run `index` of the seeded sequence alone and lets fast-check shrink it; returns the smallest request that
 * still fails (or the original, marked, when it does not fail alone).
 */
async function shrink(arb: fc.Arbitrary<FuzzRequest>, seed: number, index: number, send: (r: FuzzRequest) => Promise<Sent>): Promise<string> {
  const details = await fc.check(
    fc.asyncProperty(arb, async (r) => problemOf(r, await send(r)) === undefined),
    { seed, path: String(index), numRuns: 1, endOnFailure: false },
  );
  if (!details.failed || !details.counterexample) return `run ${index} of seed ${seed} did not fail when replayed alone`;
  const r = details.counterexample[0];
  return `seed ${seed}, run ${index}, shrunk ${details.numShrinks} times:\n${fc.stringify(r)}\n=> ${problemOf(r, await send(r))}`;
}

function parseObject(res: FuzzResponse): KubeObject | undefined {
  if (res.truncated || !res.body.length || !String(res.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    const o = JSON.parse(res.body.toString('utf8')) as KubeObject;
    return typeof o === 'object' && o && o.metadata && typeof o.metadata.uid === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Semantic validation of an object as the API returns it (create and update rules, as manifest-fuzz applies them). */
function validationErrors(o: KubeObject): string[] {
  const [group, version] = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/') : ['', String(o.apiVersion)];
  const gvk = { group, version, kind: String(o.kind) };
  if (!hasValidation(gvk)) return [];
  // A dry-run create answers without a resourceVersion (as upstream); the update rules want one.
  const old = { ...o, metadata: { ...o.metadata, resourceVersion: o.metadata?.resourceVersion || '1' } };
  return [...validateCreate(gvk, structuredClone(o)), ...validateUpdate(gvk, structuredClone(old), structuredClone(old))].map(fieldErrorMessage);
}

/** Checks every value under /registry/ is JSON, and re-validates the objects whose uid the fuzzer saw written. */
async function checkStore(cluster: RunningCluster, uids: Set<string>, violations: string[]): Promise<{ checked: number; invalid: number }> {
  const { kvs } = await cluster.registry.list(true);
  let checked = 0;
  let invalid = 0;
  for (const kv of kvs) {
    let o: KubeObject;
    try {
      o = JSON.parse(kv.value) as KubeObject;
    } catch {
      invalid++;
      violations.push(`${kv.key} holds a value that is not JSON: ${kv.value.slice(0, 200)}`);
      continue;
    }
    if (!uids.has(o.metadata?.uid ?? '')) continue;
    checked++;
    // The store keeps the resourceVersion in the key's revision; reads put it back.
    o.metadata = { ...o.metadata, resourceVersion: String(kv.modRevision) };
    const errs = validationErrors(o);
    if (errs.length) {
      invalid++;
      violations.push(`${kv.key} is stored but invalid: ${errs.slice(0, 3).join('; ')}\n${kv.value.slice(0, 600)}`);
    }
  }
  return { checked, invalid };
}

export async function runHttpFuzz(o: HttpFuzzOptions): Promise<HttpFuzzResult> {
  const seed = o.seed ?? 20261126;
  const concurrency = o.concurrency ?? 8;
  const stop = o.stopOnViolation ?? true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-http-fuzz-'));
  const logs = memoryLogger('warn');
  const crashes: string[] = [];
  const onCrash = (e: unknown) => crashes.push(`uncaught: ${(e as Error)?.stack ?? String(e)}`);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency });
  let cluster: RunningCluster | undefined;
  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  let sent = 0;
  let malformed = 0;
  let fiveXX = 0;
  let unanswered = 0;
  const uids = new Set<string>();
  let writtenChecked = 0;
  let invalidWritten = 0;
  const slowest: { ms: number; what: string }[] = [];
  try {
    cluster = await startCluster({ dataDir: dir, port: 0, logger: logs.logger, controllers: ESSENTIAL_CONTROLLERS, scheduler: false });
    const c = cluster;
    const admin = await sendFuzzRequest(agent, c.port, c.caCert, { method: 'POST', target: '/api/v1/namespaces', headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' }, body: { kind: 'ns', chunked: false, bytes: () => Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })), describe: () => NS } });
    if (admin.res?.status !== 201) throw new Error(`could not create the namespace ${NS}: ${admin.error ?? admin.res?.body.toString()}`);
    const resources = builtinResources().filter((r) => !r.virtual);
    const arb = fuzzRequest({ token: c.adminToken, resources, namespace: NS });
    const requests = fc.sample(arb, { seed, numRuns: o.requests });
    const started = Date.now();
    let lastProgress = started;
    const lag = monitorEventLoopDelay({ resolution: 20 });
    lag.enable();
    let first: number | undefined;
    let previous: string[] = [];
    const recent: string[] = [];
    await pool(requests.length, concurrency, async (i) => {
      if (first !== undefined && stop) return;
      const r = requests[i];
      const t0 = Date.now();
      const s = await sendFuzzRequest(agent, c.port, c.caCert, r);
      sent++;
      recent.push(`${r.method} ${r.target.slice(0, 120)}${r.body ? ` [${r.body.kind}]` : ''} → ${s.error ?? s.res?.status}`);
      if (recent.length > 2 * concurrency) previous = recent.splice(0, concurrency);
      const cls = s.res ? classify(s.res, r.method, r.target, contentTypeOf(r)) : 'no-answer';
      outcomes[cls] = (outcomes[cls] ?? 0) + 1;
      if (s.res && s.res.status < 300 && ['POST', 'PUT', 'PATCH'].includes(r.method)) {
        const obj = parseObject(s.res);
        if (obj?.metadata?.uid) {
          uids.add(obj.metadata.uid);
          writtenChecked++;
          const errs = validationErrors(obj);
          if (errs.length) {
            invalidWritten++;
            violations.push(`a ${r.method} was answered ${s.res.status} with an invalid object: ${errs.slice(0, 3).join('; ')}\nfor ${fc.stringify(r)}`);
          }
        }
      }
      const ms = Date.now() - t0;
      if (ms > (slowest[slowest.length - 1]?.ms ?? 0) || slowest.length < 5) {
        slowest.push({ ms, what: `${r.method} ${r.target.slice(0, 100)}${r.body ? ` [${r.body.describe().slice(0, 80)}]` : ''} → ${s.error ?? s.res?.status}` });
        slowest.sort((a, b) => b.ms - a.ms).splice(5);
      }
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        o.progress?.(`${sent} requests, ${Math.round(sent / ((Date.now() - started) / 1000))}/s, ${violations.length} violations`);
      }
      const problem = problemOf(r, s);
      if (!problem) return;
      if (s.res && s.res.status >= 500) fiveXX++;
      else if (!s.res) unanswered++;
      else malformed++;
      first ??= i;
      // A request that got no answer: what else was in flight around it.
      const context = s.res ? '' : `\nrequests around it:\n  ${[...previous, ...recent].join('\n  ')}`;
      if (violations.length < 50) violations.push(`${problem}\nfor ${fc.stringify(r)}${context}`);
    });
    const seconds = (Date.now() - started) / 1000;
    lag.disable();
    const counterexample = first === undefined || !stop ? undefined : await shrink(arb, seed, first, (r) => sendFuzzRequest(agent, c.port, c.caCert, r));
    const ready = await sendFuzzRequest(agent, c.port, c.caCert, { method: 'GET', target: '/readyz', headers: { authorization: `Bearer ${c.adminToken}` } });
    if (ready.res?.status !== 200 || ready.res.body.toString() !== 'ok') violations.push(`/readyz after the run: ${ready.error ?? `${ready.res?.status} ${ready.res?.body.toString()}`}`);
    const stored = await checkStore(c, uids, violations);
    // The API server's own failures (the recover filter and the HTTPS binding log them); controllers whose objects
    // the fuzzer deleted may log too, and are not the API server's fault.
    for (const r of logs.records) if (r.level === 'error' && /kube-apiserver|https/.test(r.component)) violations.push(`logged error [${r.component}]: ${r.message.slice(0, 500)}`);
    violations.push(...crashes);
    return {
      seed,
      requests: sent,
      seconds,
      requestsPerSecond: sent / seconds,
      maxEventLoopBlockMs: lag.max / 1e6,
      outcomes,
      fiveXX,
      crashes: crashes.length + (ready.res?.status === 200 ? 0 : 1),
      malformedErrors: malformed,
      unanswered,
      writtenChecked,
      storedChecked: stored.checked,
      invalidStored: stored.invalid + invalidWritten,
      slowest: slowest.map((x) => `${x.ms} ms: ${x.what}`),
      violations,
      counterexample,
    };
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    agent.destroy();
    await cluster?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
