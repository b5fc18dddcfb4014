/**
 * The static token file (kube-apiserver `--token-auth-file`): CSV lines `token,user,uid,"group1,group2"`; columns
 * after the fourth are ignored, empty lines and lines starting with `#` are skipped. Fields are read as Go's
 * encoding/csv reads them (quotes, `""` escapes, quoted newlines; no trimming). A bad line is reported with its
 * line number and skipped; no message ever contains a token.
 *
 * The authenticator compares the presented bearer token with every entry in constant time (sha256 of both sides,
 * then timingSafeEqual, so neither content nor length leaks) and never stops early.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type { UserInfo } from '../request';
import { bearerToken } from './bearer';
import type { Authenticator } from './types';

export interface TokenEntry {
  token: string;
  user: UserInfo;
  /** 1-based line the entry starts on. */
  line: number;
}

export interface TokenFileParse {
  entries: TokenEntry[];
  /** One per skipped line: `line N: why`. */
  errors: string[];
  /** Lines that were used but deserve attention (a duplicate token: the later line wins, as upstream). */
  warnings: string[];
}

type RecordResult = { fields: string[]; line: number } | { error: string; line: number };

export function parseTokenFile(text: string): TokenFileParse {
  const out: TokenFileParse = { entries: [], errors: [], warnings: [] };
  const byToken = new Map<string, number>();
  for (const rec of readRecords(text)) {
    if ('error' in rec) {
      out.errors.push(`line ${rec.line}: ${rec.error}`);
      continue;
    }
    const f = rec.fields;
    if (f.length < 3) {
      out.errors.push(`line ${rec.line}: must have at least 3 columns (token, user name, user uid), found ${f.length}`);
      continue;
    }
    if (f[0] === '') {
      out.errors.push(`line ${rec.line}: empty token`);
      continue;
    }
    const user: UserInfo = { name: f[1], groups: f.length >= 4 ? f[3].split(',').filter((g) => g !== '') : [] };
    if (f[2] !== '') user.uid = f[2];
    const prev = byToken.get(f[0]);
    if (prev !== undefined) {
      out.warnings.push(`line ${rec.line}: duplicate token (also on line ${out.entries[prev].line}); the later line wins`);
      out.entries.splice(prev, 1);
      for (const [k, v] of byToken) if (v > prev) byToken.set(k, v - 1);
    }
    byToken.set(f[0], out.entries.length);
    out.entries.push({ token: f[0], user, line: rec.line });
  }
  return out;
}

/** Splits CSV text into records the way Go's csv.Reader does (LazyQuotes off, Comment '#'). */
function* readRecords(text: string): Generator<RecordResult> {
  let i = 0;
  let line = 1;
  const n = text.length;
  const atEol = (j: number) => j >= n || text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n');
  const skipEol = () => {
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
  };
  const skipLine = () => {
    while (i < n && text[i] !== '\n') i++;
    skipEol();
  };
  while (i < n) {
    if (atEol(i)) {
      skipEol();
      continue;
    }
    if (text[i] === '#') {
      skipLine();
      continue;
    }
    const start = line;
    const fields: string[] = [];
    let error: string | undefined;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) {
            error = 'extraneous or missing " in quoted-field';
            break;
          }
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\r' && text[i + 1] === '\n') i++;
          if (text[i] === '\n') line++;
          field += text[i];
          i++;
        }
        if (!error && i < n && text[i] !== ',' && !atEol(i)) error = 'extraneous or missing " in quoted-field';
      } else {
        while (i < n && text[i] !== ',' && !atEol(i)) {
          if (text[i] === '"') error ??= 'bare " in non-quoted-field';
          field += text[i];
          i++;
        }
      }
      if (error) break;
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      skipEol();
      break;
    }
    if (error) {
      const at = line;
      skipLine();
      yield { error, line: at };
      continue;
    }
    yield { fields, line: start };
  }
}

const digests = new WeakMap<TokenEntry, Buffer>();

function sha256(s: string): Buffer {
  return hash('sha256', s, 'buffer');
}

function digestOf(e: TokenEntry): Buffer {
  let d = digests.get(e);
  if (!d) {
    d = sha256(e.token);
    digests.set(e, d);
  }
  return d;
}

/** `getEntries` is called per request, so a reloaded file takes effect at once. */
export function createTokenFileAuthenticator(getEntries: () => readonly TokenEntry[]): Authenticator {
  return {
    name: 'token-file',
    authenticate(input) {
      const token = bearerToken(input.headers);
      if (token === undefined) return undefined;
      const given = sha256(token);
      let found: TokenEntry | undefined;
      for (const e of getEntries()) {
        if (timingSafeEqual(digestOf(e), given) && !found) found = e;
      }
      if (!found) return { error: 'invalid bearer token' };
      const u = found.user;
      return { user: { ...u, groups: [...u.groups], ...(u.extra ? { extra: { ...u.extra } } : {}) } };
    },
  };
}
