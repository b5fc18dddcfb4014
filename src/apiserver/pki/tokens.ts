/**
 * The static token file (`<dataDir>/auth/tokens.csv`, kube-apiserver's --token-auth-file format:
 * `token,user,uid,"group1,group2"`). On first start it holds the admin token the kubeconfig uses; users may add
 * lines. Parsed strictly: a bad line is an error naming the file and line.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TokenUser } from '../filters/authentication';

export const ADMIN_USER = 'kubelab-admin';

export function tokensFile(dataDir: string): string {
  return path.join(dataDir, 'auth', 'tokens.csv');
}

export function parseTokens(text: string, file: string): TokenUser[] {
  const out: TokenUser[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    const fields = splitCsv(line);
    if (fields.length < 3 || !fields[0] || !fields[1]) throw new Error(`${file}:${i + 1}: expected token,user,uid[,"groups"]`);
    const groups = fields[3] ? fields[3].split(',').map((g) => g.trim()).filter(Boolean) : [];
    out.push({ token: fields[0], user: { name: fields[1], uid: fields[2], groups: [...groups, 'system:authenticated'] } });
  });
  return out;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Reads the token file, creating it with a fresh admin token first. Returns the users and the admin token. */
export function ensureTokens(dataDir: string): { users: TokenUser[]; adminToken: string } {
  const file = tokensFile(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const token = randomBytes(32).toString('base64url');
    fs.writeFileSync(file, `${token},${ADMIN_USER},${ADMIN_USER},"system:masters"\n`, { mode: 0o600 });
  }
  const users = parseTokens(fs.readFileSync(file, 'utf8'), file);
  const admin = users.find((u) => u.user.name === ADMIN_USER);
  if (!admin) throw new Error(`${file}: no line for the user ${ADMIN_USER}`);
  return { users, adminToken: admin.token };
}
