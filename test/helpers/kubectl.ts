/**
 * Drives the real kubectl binary against a test cluster. Every run is asynchronous (the API server lives in this
 * process, so a synchronous spawn would deadlock it) and isolated: an explicit `--kubeconfig`, a private
 * `--cache-dir` (discovery and OpenAPI caches never leak between test files or runs), `--request-timeout`, and a
 * private HOME with no KUBECONFIG, so nothing on the machine's ~/.kube is read or written.
 *
 * `findKubectl()` says whether a kubectl ≥ 1.27 is on PATH (or why not, for `t.skip(reason)`); `Kubectl.run` returns
 * rc/stdout/stderr; `Kubectl.watch` spawns a long-running command (get --watch) in its own process group and kills
 * exactly that group. `parseTable` splits kubectl's column output by the header's column positions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { waitFor } from './wait';

export const MIN_KUBECTL_MINOR = 27;

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type KubectlLookup = { ok: true; minor: number; gitVersion: string } | { ok: false; reason: string };

/** Runs `kubectl version --client -o json` (no server needed) and checks the client is at least 1.27. */
export async function findKubectl(): Promise<KubectlLookup> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-kubectl-probe-'));
  try {
    const r = await exec('kubectl', ['version', '--client', '-o', 'json'], { env: isolatedEnv(home), timeoutMs: 20_000 });
    if (r.code !== 0) return { ok: false, reason: `kubectl not usable: rc ${r.code}: ${(r.stderr || r.stdout).trim().slice(0, 300)}` };
    const v = (JSON.parse(r.stdout) as { clientVersion?: { major?: string; minor?: string; gitVersion?: string } }).clientVersion;
    const minor = Number.parseInt(v?.minor ?? '', 10);
    if (v?.major !== '1' || !(minor >= MIN_KUBECTL_MINOR)) {
      return { ok: false, reason: `kubectl ${v?.gitVersion ?? '(unknown version)'} is older than 1.${MIN_KUBECTL_MINOR}` };
    }
    return { ok: true, minor, gitVersion: v.gitVersion ?? '' };
  } catch (e) {
    return { ok: false, reason: `no kubectl on PATH (${(e as Error).message})` };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export interface RunOptions {
  stdin?: string;
  /** Another kubeconfig (e.g. kubeconfigWithToken). */
  kubeconfig?: string;
  /** Another cache dir (e.g. freshCacheDir()). */
  cacheDir?: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  /** Seconds for --request-timeout. Default 20. */
  requestTimeoutSeconds?: number;
  /** Milliseconds before a run is killed. Default 30 000. */
  runTimeoutMs?: number;
}

export class Kubectl {
  /** A private directory (HOME, cache, manifests); removed by dispose(). */
  readonly dir: string;
  readonly cacheDir: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly watches = new Set<KubectlWatch>();

  constructor(readonly opts: KubectlOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-kubectl-'));
    this.cacheDir = path.join(this.dir, 'cache');
    fs.mkdirSync(path.join(this.dir, 'home'));
    this.env = isolatedEnv(path.join(this.dir, 'home'));
  }

  /** The global flags every run gets (kubeconfig and cache dir may be overridden per run). */
  flags(o: RunOptions = {}): string[] {
    return [`--kubeconfig=${o.kubeconfig ?? this.opts.kubeconfig}`, `--cache-dir=${o.cacheDir ?? this.cacheDir}`, `--request-timeout=${this.opts.requestTimeoutSeconds ?? 20}s`];
  }

  /** A new, empty cache directory (inside this.dir) for a run that must not see cached discovery. */
  freshCacheDir(): string {
    return fs.mkdtempSync(path.join(this.dir, 'cache-'));
  }

  run(args: string[], o: RunOptions = {}): Promise<KubectlResult> {
    return exec('kubectl', [...args, ...this.flags(o)], { env: this.env, stdin: o.stdin, timeoutMs: this.opts.runTimeoutMs ?? 30_000 });
  }

  /** Runs and throws (with both streams) unless rc is 0; returns stdout. */
  async ok(args: string[], o: RunOptions = {}): Promise<string> {
    const r = await this.run(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed with rc ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  /** Runs and throws unless rc is non-zero; returns the result. */
  async fails(args: string[], o: RunOptions = {}): Promise<KubectlResult> {
    const r = await this.run(args, o);
    if (r.code === 0) throw new Error(`kubectl ${args.join(' ')} unexpectedly succeeded\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  }

  /** Writes a manifest (a string, or objects as a multi-document YAML stream) into this.dir; returns its path. */
  writeManifest(name: string, content: string | object | object[]): string {
    const file = path.join(this.dir, name);
    const text = typeof content === 'string' ? content : (Array.isArray(content) ? content : [content]).map((d) => stringify(d)).join('---\n');
    fs.writeFileSync(file, text);
    return file;
  }

  /** A copy of the kubeconfig whose user token is replaced (for authentication failures). */
  kubeconfigWithToken(token: string): string {
    const cfg = parse(fs.readFileSync(this.opts.kubeconfig, 'utf8')) as { users: { user: Record<string, unknown> }[] };
    for (const u of cfg.users) u.user = { token };
    const file = path.join(this.dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, stringify(cfg), { mode: 0o600 });
    return file;
  }

  /** Spawns a long-running kubectl (e.g. `get pods --watch`); stop it with KubectlWatch.stop() (or dispose()). */
  watch(args: string[]): KubectlWatch {
    const child = spawn('kubectl', [...args, ...this.flags()], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const w = new KubectlWatch(child, () => this.watches.delete(w));
    this.watches.add(w);
    return w;
  }

  async dispose(): Promise<void> {
    for (const w of [...this.watches]) await w.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export class KubectlWatch {
  stdout = '';
  stderr = '';
  code: number | null | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    private readonly onStop: () => void,
  ) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => {
      child.on('error', (e) => {
        this.stderr += `spawn error: ${e.message}`;
        this.code = null;
        resolve();
      });
      child.on('close', (code) => {
        this.code = code;
        resolve();
      });
    });
  }

  /** Waits until stdout satisfies `test` (a RegExp or predicate); the error shows both streams. */
  async until(test: RegExp | ((stdout: string) => boolean), what: string, timeoutMs = 15_000): Promise<void> {
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    await waitFor(() => ok(this.stdout) || this.code !== undefined, what, { timeoutMs, intervalMs: 25 }).catch((e: Error) => {
      throw new Error(`${e.message}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
    });
    if (!ok(this.stdout)) throw new Error(`kubectl exited (rc ${this.code}) before ${what}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
  }

  /** Kills the process group this watch started (only it), then waits for the exit. */
  async stop(): Promise<void> {
    if (this.code === undefined && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await this.exited;
    this.onStop();
  }
}

/** A kubectl table: header names and rows keyed by header, cut at the header's column positions. */
export interface Table {
  headers: string[];
  rows: Record<string, string>[];
}

/** Parses one table (the first non-empty line is the header). Header names may contain one space ("NOMINATED NODE"). */
export function parseTable(text: string): Table {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (!lines.length) return { headers: [], rows: [] };
  const cols = [...lines[0].matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index! }));
  const rows = lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    cols.forEach((c, i) => {
      const end = i + 1 < cols.length ? cols[i + 1].start : undefined;
      row[c.name] = line.slice(c.start, end).trim();
    });
    return row;
  });
  return { headers: cols.map((c) => c.name), rows };
}

/** Splits `kubectl get all`-style output (tables separated by blank lines) into tables. */
export function parseTables(text: string): Table[] {
  return text
    .split(/\n\s*\n/)
    .filter((b) => b.trim() !== '')
    .map(parseTable);
}

/** The lines of a stream, without the trailing empty one. */
export function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', TZ: 'UTC' };
  return env;
}

function exec(cmd: string, args: string[], o: { env: NodeJS.ProcessEnv; stdin?: string; timeoutMs: number }): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: o.env, stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n[killed after ${o.timeoutMs} ms]`;
      resolve({ code, stdout, stderr });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // the process may exit before reading it (EPIPE)
      child.stdin.end(o.stdin);
    }
  });
}
