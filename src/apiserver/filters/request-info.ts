/** Fills `req.info` (verb, group, version, namespace, resource, name, subresource) from the path and method. */
import { parseRequestInfo } from '../request-info';
import type { Filter } from '../request';

export const requestInfoFilter: Filter = (req, next) => {
  req.info = parseRequestInfo(req.method, req.path, req.query);
  return next(req);
};
