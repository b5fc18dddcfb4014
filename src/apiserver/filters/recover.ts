/**
 * The outermost filter: every failure becomes a Status response (StatusErrors as they are, anything else as a
 * logged 500 InternalError), so no request ends without an answer. A Status whose details ask for a retry after N
 * seconds also carries a `Retry-After: N` header, as upstream's ErrorNegotiated sets it.
 */
import type { Logger } from '../../base/logger';
import { StatusError } from '../../api/status';
import type { Filter } from '../request';

export function recoverFilter(logger: Logger): Filter {
  return async (req, next) => {
    try {
      return await next(req);
    } catch (e) {
      if (e instanceof StatusError) {
        const after = e.status.details?.retryAfterSeconds;
        return { status: e.code, body: e.status, ...(after !== undefined && after > 0 ? { headers: { 'retry-after': String(after) } } : {}) };
      }
      logger.error(`${req.method} ${req.path}: ${(e as Error).stack ?? String(e)}`);
      const se = StatusError.internal(e);
      return { status: 500, body: se.status };
    }
  };
}
