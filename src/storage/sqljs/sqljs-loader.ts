/**
 * Loads sql.js once per process, with one change to its in-memory file system (MEMFS): how a file's buffer grows
 * when a write goes past its end. Upstream grows it by 12.5 % at a time, copying the whole file each time (tens of
 * ms per 100 MB, on the event loop). Patched, growth goes through `growFile` here:
 * - a file claimed with a reservation (the store's database, see mvcc-db.ts) gets a buffer of that size at its first
 *   growth. The buffer is allocated zeroed by the OS and never written ahead of need, so it costs address space, not
 *   memory: pages become resident only as SQLite writes them (or page-toucher.ts faults them in just ahead, from
 *   another thread: the buffer is a SharedArrayBuffer for that), and the file never has to be copied while it fits;
 * - everything else, and a claimed file that outgrows its reservation, doubles (see file-room.ts for growing ahead
 *   of need while idle).
 * If the reservation cannot be allocated (a RangeError: address space or overcommit limits), the file doubles as
 * any other. Copies matter doubly on machines where touching fresh memory is slow (a page fault costs 8–17 µs on
 * these VMs): a doubling copy touches as many fresh pages as the file holds. The sql.js source is read from the
 * package (or from beside the bundle, where the build copies it) and the growth statement is rewritten; if a future
 * sql.js words it differently, the unpatched module is used and `patched` is false (a test pins this).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { SqlJsStatic } from 'sql.js';

type InitSqlJs = (config: { wasmBinary: ArrayBuffer }) => Promise<SqlJsStatic>;

let cached: Promise<SqlJsStatic> | undefined;
let patchedFlag = false;

function packageDir(): string | undefined {
  try {
    return path.dirname(require.resolve('sql.js'));
  } catch {
    return undefined;
  }
}

/** Where a sql.js file is: the given dir, beside the bundle (dist/), or inside the sql.js package. */
function find(file: string, dir?: string): string {
  const pkg = packageDir();
  const candidates = [dir && path.join(dir, file), path.join(__dirname, file), pkg && path.join(pkg, file)].filter((c): c is string => !!c);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`${file} not found (looked in: ${candidates.join(', ')})`);
  return found;
}

/**
 * MEMFS's growth statement, minified: `(g=Math.max(g,m*(m<1048576?2:1.125)>>>0),m&&(g=Math.max(g,256)),
 * m=node.contents.subarray(0,node.usedBytes),node.contents=new Uint8Array(g),node.contents.set(m))`.
 */
const GROWTH =
  /\(([\w$]+)=Math\.max\(\1,([\w$]+)\*\(\2<1048576\?2:1\.125\)>>>0\),\2&&\(\1=\s*Math\.max\(\1,256\)\),\2=([\w$]+)\.([\w$]+)\.subarray\(0,\3\.([\w$]+)\),\3\.\4=new Uint8Array\(\1\),\3\.\4\.set\(\2\)\)/g;
const HOOK = '__kubelabGrowFile';

export function patchFileGrowth(source: string): { source: string; patched: boolean } {
  const matches = source.match(GROWTH);
  if (!matches || matches.length !== 1) return { source, patched: false };
  return { source: source.replace(GROWTH, `($3.$4=${HOOK}($3.name,$3.$4,$3.$5,$1))`), patched: true };
}

interface Claim {
  /** Bytes to allocate at the first growth (0: none, or already used). */
  reserve: number;
  capacity: number;
  /** The reservation, while the file's buffer is it (shared, so page-toucher.ts can fault its pages in). */
  shared?: SharedArrayBuffer;
}

const claims = new Map<string, Claim>();

/**
 * The new buffer of MEMFS file `name` (its buffer `old`, `used` bytes of it valid) that must hold `needed` bytes:
 * the file's reservation if it has one left and it is bigger than doubling, else twice the old size.
 */
export function growFile(name: string, old: Uint8Array, used: number, needed: number): Uint8Array {
  const claim = claims.get(name);
  const doubled = Math.max(needed, old.length * 2, 256);
  let buf: Uint8Array | undefined;
  if (claim) claim.shared = undefined;
  if (claim && claim.reserve > doubled) {
    try {
      const shared = new SharedArrayBuffer(claim.reserve);
      buf = new Uint8Array(shared);
      claim.shared = shared;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
    claim.reserve = 0;
  }
  buf ??= new Uint8Array(doubled);
  buf.set(old.subarray(0, used));
  if (claim) claim.capacity = buf.length;
  return buf;
}

/**
 * Tracks the capacity of MEMFS file `name` (a sql.js Database's `filename`) whose buffer now holds `capacity`
 * bytes, and gives it a buffer of `reserve` bytes at its first growth. `releaseFile` when the database is closed.
 */
export function claimFile(name: string, capacity: number, reserve = 0): void {
  claims.set(name, { reserve, capacity });
}

/** The claimed file's buffer size (undefined for files never claimed). */
export function fileCapacity(name: string): number | undefined {
  return claims.get(name)?.capacity;
}

/** The claimed file's reservation while its buffer is that reservation (undefined before its first growth and after it outgrew it). */
export function fileReservation(name: string): SharedArrayBuffer | undefined {
  return claims.get(name)?.shared;
}

export function releaseFile(name: string): void {
  claims.delete(name);
}

/** The MEMFS file name of a sql.js Database (sql.js keeps it in `filename`; its typings leave it out). */
export function databaseFile(db: object): string {
  const name = (db as { filename?: unknown }).filename;
  if (typeof name !== 'string') throw new Error('sql.js Database has no filename; its internals changed');
  return name;
}

function loadModule(file: string): InitSqlJs {
  const { source, patched } = patchFileGrowth(fs.readFileSync(file, 'utf8'));
  patchedFlag = patched;
  const mod: { exports: unknown } = { exports: {} };
  const fn = vm.compileFunction(source, ['module', 'exports', 'require', '__filename', '__dirname', HOOK], { filename: file }) as (
    ...args: unknown[]
  ) => void;
  fn(mod, mod.exports, require, file, path.dirname(file), growFile);
  const init = mod.exports as InitSqlJs | { default?: InitSqlJs };
  return typeof init === 'function' ? init : (init.default as InitSqlJs);
}

/** Load sql.js once per process. */
export function loadSqlJs(wasmDir?: string): Promise<SqlJsStatic> {
  if (!cached) {
    cached = (async () => {
      const init = loadModule(find('sql-wasm.js', wasmDir));
      const wasmBinary = fs.readFileSync(find('sql-wasm.wasm', wasmDir));
      return init({ wasmBinary: wasmBinary as unknown as ArrayBuffer });
    })();
    cached.catch(() => (cached = undefined));
  }
  return cached;
}

/** Whether the loaded sql.js grows its files through growFile (false until loaded, or if the patch did not apply). */
export function fileGrowthPatched(): boolean {
  return patchedFlag;
}
