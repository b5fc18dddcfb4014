/**
 * The request target of an HTTP request line, as Go's net/http reads it for kube-apiserver: an origin-form target
 * ("/path?query") is its path verbatim — "//apis/x" is the path "//apis/x", never a host "apis" — and an absolute-form
 * one ("https://host/path?query") gives its path and query. Anything else cannot be parsed: the caller answers
 * 400 Bad Request, as Go does for a request URI it cannot parse, instead of failing the request with no answer.
 *
 * Contract: `parseRequestTarget` never throws; undefined means "not a request target".
 */
const BASE = 'https://localhost';

export function parseRequestTarget(raw: string | undefined): { path: string; query: URLSearchParams } | undefined {
  const target = raw ?? '/';
  try {
    const url = target.startsWith('/') ? new URL(BASE + target) : new URL(target);
    if (!target.startsWith('/') && url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return undefined;
  }
}
