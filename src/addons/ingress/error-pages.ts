/**
 * The answers the ingress controller gives itself, shaped like ingress-nginx's (nginx's built-in error pages:
 * `<status> <reason>` as title and heading, CRLF line ends, text/html): 404 when no rule and no default backend
 * matches, 503 when the backend Service, its port or its ready endpoints are missing, 502 when no endpoint could be
 * dialled or the endpoint broke the exchange. The signature line reads `kubelab-ingress` instead of `nginx`.
 */
import type * as http from 'node:http';

export const SERVER_SIGNATURE = 'kubelab-ingress';

/** nginx's reason phrases for the statuses the controller produces. */
const REASONS: Record<number, string> = {
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

export function errorPageBody(status: number): string {
  const title = `${status} ${reasonPhrase(status)}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${SERVER_SIGNATURE}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Answers `res` with the error page of `status` (a no-op when the response has already started). */
export function sendErrorPage(res: http.ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorPageBody(status);
  res.writeHead(status, reasonPhrase(status), {
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
    server: SERVER_SIGNATURE,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
