/**
 * What the real-VS-Code end-to-end run needs on the machine, installed once and reused:
 * - system packages: chromium (the browser playwright-core drives), ripgrep (code-server's search; also the binary
 *   pre-seeded for its postinstall) and libkrb5-dev (code-server's native kerberos module compiles against it).
 *   Missing ones are apt-get installed when we are root and apt-get exists (like .ci/test.mjs does for dnsutils).
 * - code-server 4.100.3 (VS Code 1.100.3, the newest whose engines accept Node 20) from the npm registry, into a cache
 *   dir ($KUBELAB_E2E_CACHE or ~/.cache/kubelab-e2e/code-server-4.100.3), with the three workarounds of
 *   /work/shared/reference/vscode-e2e.md: npm_config_unsafe_perm, npm_config_yes, and a pre-seeded ripgrep tarball
 *   (its postinstall would otherwise download from GitHub).
 *
 * Contract: every function either returns what it promised or throws an Error saying what is missing and why; nothing
 * here skips silently (the caller decides whether --no-e2e turns a failure into a skip).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type Log = (message: string) => void;

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
/**
 * The dependencies whose install scripts must run: code-server's postinstall (which runs `npm install` in lib/vscode
 * and lib/vscode/extensions) and the native modules those installs build — what the shrinkwraps of code-server
 * 4.100.3 mark `hasInstallScript`. npm 11.16 and later read them from the `allowScripts` field of the installing
 * project's package.json and refuse the `allow-scripts` setting in a project install ("--allow-scripts is not allowed
 * in project-scoped installs", also when it comes from npm_config_allow_scripts, which the postinstall's nested
 * installs would inherit); earlier npm 11 releases take the setting (ensureCodeServer passes it only to them)
 * and ignore the field.
 */
const ALLOW_SCRIPTS = [
  'code-server',
  'argon2',
  '@parcel/watcher',
  '@vscode/deviceid',
  '@vscode/ripgrep',
  '@vscode/spdlog',
  '@vscode/windows-process-tree',
  '@vscode/windows-registry',
  'kerberos',
  'native-watchdog',
  'node-pty',
  'esbuild',
];

/** Absolute path of `command` on PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!d) continue;
    const p = path.join(d, command);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether this machine's npm is 11.16 or later (the `allowScripts` package.json field; see ALLOW_SCRIPTS). */
function npmReadsAllowScriptsField(version = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout ?? ''): boolean {
  const m = /^(\d+)\.(\d+)\./.exec(version.trim());
  if (!m) return true;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 11 || (major === 11 && minor >= 16);
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The chromium executable ($KUBELAB_E2E_CHROMIUM wins), or undefined. */
export function findChromium(): string | undefined {
  const env = process.env.KUBELAB_E2E_CHROMIUM;
  if (env) return fs.existsSync(env) ? env : undefined;
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p)) ?? which('chromium');
}

function hasKrb5Headers(): boolean {
  return ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'].some((p) => fs.existsSync(p));
}

/**
 * Makes sure chromium, rg, the krb5 headers and a native build toolchain exist; apt-get installs the missing ones when root. Throws when one is
 * still missing afterwards.
 */
export function ensureSystemPackages(log: Log): void {
  const want = [
    { what: 'chromium', pkg: 'chromium', present: () => Boolean(findChromium()) },
    { what: 'ripgrep (rg)', pkg: 'ripgrep', present: () => Boolean(which('rg')) },
    { what: 'Kerberos headers (libkrb5-dev)', pkg: 'libkrb5-dev', present: hasKrb5Headers },
    // code-server's native modules build from source (node-gyp).
    { what: 'a C++ compiler (g++)', pkg: 'g++', present: () => Boolean(which('g++')) },
    { what: 'make', pkg: 'make', present: () => Boolean(which('make')) },
    { what: 'python3 (node-gyp)', pkg: 'python3', present: () => Boolean(which('python3')) },
  ];
  const missing = want.filter((w) => !w.present());
  if (!missing.length) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new Error(
      `missing ${missing.map((m) => m.what).join(', ')} and cannot install them (${isRoot ? 'no apt-get' : 'not root'}); ` +
        `install: apt-get install -y ${missing.map((m) => m.pkg).join(' ')}`,
    );
  }
  const pkgs = missing.map((m) => m.pkg);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`apt-get install ${pkgs.join(' ')}`);
  const up = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env, timeout: 300_000 });
  if (up.status !== 0) throw new Error(`apt-get update failed (${up.error?.message ?? `exit ${up.status ?? up.signal}`})`);
  const inst = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    stdio: 'inherit',
    env,
    timeout: 900_000,
  });
  if (inst.status !== 0) throw new Error(`apt-get install ${pkgs.join(' ')} failed (${inst.error?.message ?? `exit ${inst.status ?? inst.signal}`})`);
  const still = missing.filter((m) => !m.present());
  if (still.length) throw new Error(`still missing after apt-get install: ${still.map((m) => m.what).join(', ')}`);
}

/** The cache dir code-server lives in. */
export function codeServerCacheDir(): string {
  return process.env.KUBELAB_E2E_CACHE || path.join(os.homedir(), '.cache', 'kubelab-e2e', `code-server-${CODE_SERVER_VERSION}`);
}

function codeServerBin(dir: string): string {
  return path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The entry script of a complete install in `dir` (marker written last), or undefined. */
function installed(dir: string): string | undefined {
  const marker = path.join(dir, '.complete');
  return fs.existsSync(marker) && fs.existsSync(codeServerBin(dir)) ? codeServerBin(dir) : undefined;
}

/**
 * Returns code-server's entry script (run it with `node`), installing code-server into the cache dir when it is not
 * there yet. A half-finished install (no marker) is wiped and redone.
 */
export function ensureCodeServer(log: Log): string {
  const dir = codeServerCacheDir();
  const ready = installed(dir);
  if (ready) {
    log(`code-server ${CODE_SERVER_VERSION}: cached in ${dir}`);
    return ready;
  }
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is needed to pre-seed code-server\'s ripgrep download');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // The ripgrep postinstall looks in $TMPDIR/<cache>/<tarball> before downloading from GitHub.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-e2e-install-'));
  const rgCache = path.join(tmp, RIPGREP_CACHE);
  fs.mkdirSync(rgCache, { recursive: true });
  const stage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(stage);
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  const tar = spawnSync('tar', ['-czf', path.join(rgCache, RIPGREP_TARBALL), '-C', stage, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('cannot build the ripgrep tarball (tar failed)');
  const allowScripts = Object.fromEntries(ALLOW_SCRIPTS.map((name) => [name, true]));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'kubelab-e2e-code-server', private: true, allowScripts }, null, 2));
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (takes ≈ 2-4 min: native modules compile)`);
  const started = Date.now();
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    ...(npmReadsAllowScriptsField() ? {} : { npm_config_allow_scripts: ALLOW_SCRIPTS.join(',') }),
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    stdio: 'inherit',
    env,
    timeout: 900_000,
  });
  fs.rmSync(tmp, { recursive: true, force: true });
  const nativeProbe = path.join(dir, 'node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node');
  if (r.status === 0 && !fs.existsSync(nativeProbe)) {
    throw new Error(`code-server's postinstall did not build its native modules (no ${nativeProbe}); were install scripts blocked?`);
  }
  if (r.status !== 0 || !fs.existsSync(codeServerBin(dir))) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
  }
  fs.writeFileSync(path.join(dir, '.complete'), `${new Date().toISOString()}\n`);
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerBin(dir);
}
