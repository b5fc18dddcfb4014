/**
 * Loads sql.js once per process, with one change to its in-memory file system: a database file that outgrows its
 * buffer is doubled instead of grown by 12.5 %. Each growth copies the whole file (tens of ms per 100 MB, on the
 * event loop), so 12.5 % steps mean a stall every few thousand writes once the store holds tens of MB; doubling
 * makes them rare (see file-room.ts for growing ahead of need while idle). The sql.js source is read from the
 * package (or from beside the bundle, where the build copies it) and the growth expression is rewritten; if a
 * future sql.js words it differently, the unpatched module is used and `patched` is false (a test pins this).
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

/** MEMFS's growth step: `capacity * (capacity < 1 MiB ? 2 : 1.125)` → `capacity * 2`. */
const GROWTH = /([A-Za-z_$][\w$]*)\*\(\1<1048576\?2:1\.125\)/g;

export function patchFileGrowth(source: string): { source: string; patched: boolean } {
  const matches = source.match(GROWTH);
  if (!matches || matches.length !== 1) return { source, patched: false };
  return { source: source.replace(GROWTH, '$1*2'), patched: true };
}

function loadModule(file: string): InitSqlJs {
  const { source, patched } = patchFileGrowth(fs.readFileSync(file, 'utf8'));
  patchedFlag = patched;
  const mod: { exports: unknown } = { exports: {} };
  const fn = vm.compileFunction(source, ['module', 'exports', 'require', '__filename', '__dirname'], { filename: file }) as (
    ...args: unknown[]
  ) => void;
  fn(mod, mod.exports, require, file, path.dirname(file));
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

/** Whether the loaded sql.js doubles its files (false until loaded, or if the patch did not apply). */
export function fileGrowthPatched(): boolean {
  return patchedFlag;
}
