/**
 * Drives the headless command (src/cli/main.ts, which `npm start` bundles; here through tsx) as a child process, the
 * way a user runs it: `startCli(args)` spawns it, waits for "Press Ctrl-C to stop." and reads the API server URL and
 * the kubeconfig path from its stdout. `CliProcess.command(line, expect)` types a node command on its stdin and waits
 * for the answer; `interrupt()` sends SIGINT (Ctrl-C) and waits for the exit; `kill()` SIGKILLs exactly this child if
 * it still runs.
 *
 * `cliClusterSuite(t, args, body)` is one top-level test: it skips (with the reason) when no kubectl ≥ 1.27 is on
 * PATH, otherwise makes a temporary data directory (unless `args` name one), starts the CLI, hands the body a Kubectl
 * bound to the printed kubeconfig, and always kills the child and removes what it made. That Kubectl (CliKubectl) puts
 * the global flags BEFORE the arguments, so commands ending in `-- COMMAND ARGS` (run, create job, exec) work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { findKubectl, Kubectl, type KubectlResult, type RunOptions } from './kubectl';
import { waitFor } from './wait';

const root = path.resolve(__dirname, '..', '..');
const CLI = path.join(root, 'src', 'cli', 'main.ts');
const READY = 'Press Ctrl-C to stop.';

/**
 * Kubectl whose global flags (kubeconfig, cache dir, request timeout) come first: Kubectl.run appends them, which
 * puts them into the container's command after a `--`.
 */
export class CliKubectl extends Kubectl {
  override run(args: string[], o: RunOptions = {}): Promise<KubectlResult> {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: path.join(this.dir, 'home'), LANG: 'C.UTF-8', TZ: 'UTC' };
    const timeoutMs = this.opts.runTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const child = spawn('kubectl', [...this.flags(o), ...args], { env, stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        stderr += `\n[killed after ${timeoutMs} ms]`;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      if (child.stdin) {
        child.stdin.on('error', () => undefined);
        child.stdin.end(o.stdin);
      }
    });
  }
}

export class CliProcess {
  stdout = '';
  stderr = '';
  /** The exit code (null after a signal) once the process has exited; undefined while it runs. */
  code: number | null | undefined;
  url = '';
  kubeconfig = '';
  private readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    child.stdin!.on('error', () => undefined); // the process may be gone before it reads
    this.exited = new Promise((resolve) => {
      child.on('error', (e) => {
        this.stderr += `spawn error: ${e.message}`;
        this.code = null;
        resolve();
      });
      child.on('exit', (code) => {
        this.code = code;
        resolve();
      });
    });
  }

  /** The end of both streams, for failure messages. */
  tail(chars = 3000): string {
    return `stdout: …${this.stdout.slice(-chars)}\nstderr: …${this.stderr.slice(-chars)}`;
  }

  /** Waits until stdout after offset `from` matches; returns that part of stdout. Fails early if the process exits. */
  async output(test: RegExp | string, what: string, from = 0, timeoutMs = 20_000): Promise<string> {
    const ok = (s: string) => (typeof test === 'string' ? s.includes(test) : test.test(s));
    await waitFor(() => ok(this.stdout.slice(from)) || this.code !== undefined, what, { timeoutMs, intervalMs: 20 }).catch((e: Error) => {
      throw new Error(`${e.message}\n${this.tail()}`);
    });
    const seen = this.stdout.slice(from);
    if (!ok(seen)) throw new Error(`the CLI exited (code ${this.code}) before ${what}\n${this.tail()}`);
    return seen;
  }

  /** Types one line on stdin and waits for `expect` in what the CLI prints afterwards; returns that output. */
  async command(line: string, expect: RegExp | string, timeoutMs = 20_000): Promise<string> {
    const from = this.stdout.length;
    this.child.stdin!.write(`${line}\n`);
    return this.output(expect, `the answer to ${JSON.stringify(line)}`, from, timeoutMs);
  }

  /** Ctrl-C: SIGINT, then wait for the exit (SIGKILL after `timeoutMs`); returns the exit code. */
  async interrupt(timeoutMs = 30_000): Promise<number | null> {
    if (this.code === undefined) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    return this.code ?? null;
  }

  /** SIGKILL this child (only it) if it still runs, and wait for the exit. */
  async kill(): Promise<void> {
    if (this.code === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/**
 * Spawns the CLI with `args` (and `nodeArgs` for Node itself, e.g. `--inspect=127.0.0.1:0`) and waits until it
 * serves (its kubeconfig and URL are then set).
 */
export async function startCli(args: string[], timeoutMs = 60_000, nodeArgs: string[] = []): Promise<CliProcess> {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', CLI, ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const cli = new CliProcess(child);
  try {
    const out = await cli.output(READY, `"${READY}"`, 0, timeoutMs);
    const m = /^API server: (https:\/\/127\.0\.0\.1:\d+)\nKubeconfig: (\S+)$/m.exec(out);
    if (!m) throw new Error(`no "API server:" and "Kubeconfig:" lines in the CLI's output\n${cli.tail()}`);
    cli.url = m[1];
    cli.kubeconfig = m[2];
  } catch (e) {
    await cli.kill();
    throw e;
  }
  return cli;
}

export interface CliClusterSuite {
  cli: CliProcess;
  k: CliKubectl;
  /** The data directory the CLI was started with. */
  dataDir: string;
  /** Stops the running CLI if needed, starts it again with `args` (the data directory is added) and rebinds `k`. */
  restart(args: string[]): Promise<void>;
}

/** Run `body` against a CLI started with `args` plus `--data-dir <temp>`; see the file comment. */
export async function cliClusterSuite(t: TestContext, args: string[], body: (s: CliClusterSuite) => Promise<void>, kubectlRunTimeoutMs = 130_000): Promise<void> {
  const found = await findKubectl();
  if (!found.ok) {
    t.diagnostic(`skipping: ${found.reason}`);
    t.skip(found.reason);
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-cli-cluster-'));
  const withDir = (a: string[]) => ['--data-dir', dataDir, ...a];
  const suite = { dataDir } as CliClusterSuite;
  const bind = (cli: CliProcess) => {
    suite.cli = cli;
    suite.k = new CliKubectl({ kubeconfig: cli.kubeconfig, runTimeoutMs: kubectlRunTimeoutMs });
  };
  suite.restart = async (again) => {
    await suite.cli.interrupt();
    await suite.k.dispose();
    bind(await startCli(withDir(again)));
  };
  try {
    bind(await startCli(withDir(args)));
    await body(suite);
  } finally {
    await suite.k?.dispose();
    await suite.cli?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
