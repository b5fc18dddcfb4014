/**
 * Errors that cross the API: Kubernetes `Status` objects worded exactly as apimachinery's `errors` package words them,
 * so kubectl prints the same lines it prints against a real API server.
 */
import { aggregateMessage, fieldErrorBody, type FieldError } from './field-errors';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A resource named for messages: `pods`, `deployments.apps`. */
export interface QualifiedResource {
  group: string;
  resource: string;
}

export function qualified(r: QualifiedResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }

  static make(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
    const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details) status.details = details;
    return new StatusError(status);
  }

  static notFound(r: QualifiedResource, name: string): StatusError {
    return StatusError.make(404, 'NotFound', `${qualified(r)} "${name}" not found`, details(r, name));
  }

  /** A path that names no resource at all. */
  static pathNotFound(): StatusError {
    return StatusError.make(404, 'NotFound', 'the server could not find the requested resource', {});
  }

  static alreadyExists(r: QualifiedResource, name: string): StatusError {
    return StatusError.make(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, details(r, name));
  }

  /**
   * A generated name (metadata.generateName) was taken on every attempt: upstream's NewGenerateNameConflict (409
   * AlreadyExists, retry after 1 s).
   */
  static generateNameConflict(r: QualifiedResource, name: string): StatusError {
    return StatusError.make(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists, the server was not able to generate a unique name for the object`, { ...details(r, name), retryAfterSeconds: 1 });
  }

  static conflict(r: QualifiedResource, name: string, why: string): StatusError {
    return StatusError.make(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, details(r, name));
  }

  static modified(r: QualifiedResource, name: string): StatusError {
    return StatusError.conflict(r, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }

  /** 422 with causes; `kind` is the Kind (`Deployment`), group its API group. */
  static invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    const message = errs.length ? `${qualifiedKind} "${name}" is invalid: ${aggregateMessage(errs)}` : `${qualifiedKind} "${name}" is invalid`;
    const d: StatusDetails = { ...(name ? { name } : {}), kind, causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })) };
    if (group) d.group = group;
    return StatusError.make(422, 'Invalid', message, d);
  }

  static badRequest(message: string): StatusError {
    return StatusError.make(400, 'BadRequest', message);
  }

  static methodNotAllowed(): StatusError {
    return StatusError.make(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  }

  static notAcceptable(accepted: string[]): StatusError {
    return StatusError.make(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
  }

  static unsupportedMediaType(accepted: readonly string[]): StatusError {
    return StatusError.make(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
  }

  static unauthorized(): StatusError {
    return StatusError.make(401, 'Unauthorized', 'Unauthorized');
  }

  static forbidden(r: QualifiedResource | undefined, name: string, message: string): StatusError {
    const subject = r ? (name ? `${qualified(r)} "${name}"` : qualified(r)) : '';
    const d: StatusDetails = r ? details(r, name) : {};
    return StatusError.make(403, 'Forbidden', subject ? `${subject} is forbidden: ${message}` : `forbidden: ${message}`, d);
  }

  static expired(message: string): StatusError {
    return StatusError.make(410, 'Expired', message);
  }

  static gone(message: string): StatusError {
    return StatusError.make(410, 'Gone', message);
  }

  static tooLarge(limit: number): StatusError {
    return StatusError.make(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
  }

  static tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
    return StatusError.make(429, 'TooManyRequests', message, { retryAfterSeconds });
  }

  static internal(err: unknown): StatusError {
    const msg = err instanceof Error ? err.message : String(err);
    return StatusError.make(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
  }

  static serviceUnavailable(message: string): StatusError {
    return StatusError.make(503, 'ServiceUnavailable', message);
  }

  static timeout(message: string, retryAfterSeconds = 0): StatusError {
    return StatusError.make(504, 'Timeout', message, { retryAfterSeconds });
  }
}

function details(r: QualifiedResource, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (r.group) d.group = r.group;
  d.kind = r.resource;
  return d;
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function successStatus(details?: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}) };
}
