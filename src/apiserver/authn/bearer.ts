/**
 * The bearer token of a request, read from the `Authorization` header exactly as upstream's bearertoken
 * authenticator reads it: trimmed, split on single spaces into at most three parts, scheme `Bearer` in any case,
 * the second part is the token. An empty token (e.g. `Bearer  x`, two spaces) counts as no token.
 */
export function bearerToken(headers: Record<string, string | undefined>): string | undefined {
  const auth = (headers.authorization ?? '').trim();
  if (!auth) return undefined;
  const parts = splitN(auth, ' ', 3);
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}
