/**
 * The static token file (`<dataDir>/auth/tokens.csv`, kube-apiserver's --token-auth-file format:
 * `token,user,uid,"group1,group2"`). On first start it holds the admin token the kubeconfig uses; users may add
 * lines (e.g. `…,dev-user,dev-user,"dev"`), which take effect within a second without a restart. A bad line is
 * logged with its line number (never its token) and skipped; a file without the admin line is an error at start.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../base/logger';
import { parseTokenFile, type TokenEntry } from '../authn/token-file';
import { writeFileDurable } from '../../base/durable-file';

export const ADMIN_USER = 'kubelab-admin';

export function tokensFile(dataDir: string): string {
  return path.join(dataDir, 'auth', 'tokens.csv');
}

export interface TokenSource {
  readonly file: string;
  readonly adminToken: string;
  /** The current entries (re-read when the file changed, checked at most once a second). */
  entries(): readonly TokenEntry[];
}

/** Reads the token file, creating it with a fresh admin token first. */
export function ensureTokens(dataDir: string, logger: Logger, now: () => number = Date.now): TokenSource {
  const file = tokensFile(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const token = randomBytes(32).toString('base64url');
    writeFileDurable(file, `${token},${ADMIN_USER},${ADMIN_USER},"system:masters"\n`, 0o600);
  }
  const read = (): readonly TokenEntry[] => {
    const parsed = parseTokenFile(fs.readFileSync(file, 'utf8'));
    for (const e of parsed.errors) logger.error(`${file}: ${e} (line skipped)`);
    for (const w of parsed.warnings) logger.warn(`${file}: ${w}`);
    return parsed.entries;
  };
  let entries = read();
  const admin = entries.find((e) => e.user.name === ADMIN_USER);
  if (!admin) throw new Error(`${file}: no line for the user ${ADMIN_USER}`);
  let mtime = fs.statSync(file).mtimeMs;
  let checkedAt = now();
  return {
    file,
    adminToken: admin.token,
    entries() {
      const t = now();
      if (t - checkedAt < 1000) return entries;
      checkedAt = t;
      try {
        const m = fs.statSync(file).mtimeMs;
        if (m !== mtime) {
          mtime = m;
          entries = read();
          logger.info(`${file}: reloaded (${entries.length} tokens)`);
        }
      } catch (e) {
        logger.error(`${file}: cannot be read, keeping the tokens loaded before: ${(e as Error).message}`);
      }
      return entries;
    },
  };
}
