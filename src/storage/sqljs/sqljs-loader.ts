import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let cached: Promise<SqlJsStatic> | undefined;

/** Where sql-wasm.wasm is: the given dir, beside the bundle (dist/), or inside the sql.js package. */
function findWasm(wasmDir?: string): string {
  const candidates = [
    wasmDir && path.join(wasmDir, 'sql-wasm.wasm'),
    path.join(__dirname, 'sql-wasm.wasm'),
    (() => {
      try {
        return path.join(path.dirname(require.resolve('sql.js')), 'sql-wasm.wasm');
      } catch {
        return undefined;
      }
    })(),
  ].filter((c): c is string => !!c);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`sql-wasm.wasm not found (looked in: ${candidates.join(', ')})`);
  return found;
}

/** Load sql.js once per process. */
export function loadSqlJs(wasmDir?: string): Promise<SqlJsStatic> {
  if (!cached) {
    const wasmBinary = fs.readFileSync(findWasm(wasmDir));
    cached = initSqlJs({ wasmBinary: wasmBinary as unknown as ArrayBuffer });
    cached.catch(() => (cached = undefined));
  }
  return cached;
}
