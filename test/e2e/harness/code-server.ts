/**
 * One code-server (a real VS Code served to a browser) per e2e run: a fresh run folder (user data, extensions,
 * XDG dirs, a copy of the fixture workspace, settings.json), the .vsix installed into it, the server launched in its
 * own process group on a free loopback port and polled on /healthz.
 *
 * Contract: `stop()` kills the whole process group (extension hosts included) and is safe to call more than once;
 * `launchCodeServer` registers it on process exit and SIGINT/SIGTERM so no server outlives the run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface RunDirs {
  root: string;
  userData: string;
  extensions: string;
  workspace: string;
  logFile: string;
}

/** Settings every run starts with (User/settings.json). */
export const RUN_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  // The cluster listens on many loopback ports; code-server would forward them all and cover the UI with a toast.
  'remote.autoForwardPorts': false,
  'kubelab.nodes': 3,
  'kubelab.apiPort': 0,
};

/** Creates the run folder under `root` with a copy of `fixtureWorkspace`. */
export function makeRunDirs(root: string, fixtureWorkspace: string, settings: Record<string, unknown> = RUN_SETTINGS): RunDirs {
  const dirs: RunDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    logFile: path.join(root, 'code-server.log'),
  };
  for (const d of [dirs.userData, dirs.extensions, path.join(root, 'xdg-config'), path.join(root, 'xdg-data')]) fs.mkdirSync(d, { recursive: true });
  fs.cpSync(fixtureWorkspace, dirs.workspace, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return dirs;
}

function serverEnv(dirs: RunDirs, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.root, 'xdg-data'),
    // code-server would otherwise offer a password prompt / use the shared config in ~/.config.
    PASSWORD: '',
    ...extra,
  };
}

const commonArgs = (dirs: RunDirs): string[] => ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

/** `code-server --install-extension <vsix>` into the run's extensions dir (≈ 2 s). */
export function installExtension(entry: string, dirs: RunDirs, vsix: string): void {
  const r = spawnSync(process.execPath, [entry, ...commonArgs(dirs), '--install-extension', vsix], {
    env: serverEnv(dirs, {}),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || !/successfully installed/i.test(`${r.stdout}${r.stderr}`)) {
    throw new Error(`code-server --install-extension failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stdout}\n${r.stderr}`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServer {
  port: number;
  url: string;
  dirs: RunDirs;
  stop(): void;
  /** The tail of the server's log (for failure reports). */
  logTail(lines?: number): string;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was healthy`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server not healthy after ${timeoutMs} ms (${last})`);
}

/** Starts code-server on a free port serving `dirs.workspace`; resolves once /healthz answers. */
export async function launchCodeServer(entry: string, dirs: RunDirs, env: Record<string, string> = {}): Promise<CodeServer> {
  const port = await freePort();
  const out = fs.openSync(dirs.logFile, 'a');
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...commonArgs(dirs),
    dirs.workspace,
  ];
  // detached: its own process group (setsid), so one kill reaches the extension hosts too.
  const child = spawn(process.execPath, args, { env: serverEnv(dirs, env), detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let stopped = false;
  const stop = (): void => {
    if (stopped || child.pid === undefined) return;
    stopped = true;
    for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
      if (sig === 'SIGTERM') spawnSync('sleep', ['0.5']);
    }
    process.off('exit', stop);
  };
  process.on('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stop();
      process.exit(130);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  const logTail = (lines = 40): string => {
    try {
      return fs.readFileSync(dirs.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  try {
    await waitHealthy(url, child, 60_000);
  } catch (e) {
    stop();
    throw new Error(`${(e as Error).message}\n${logTail()}`);
  }
  return { port, url, dirs, stop, logTail };
}
