/**
 * Probes and lifecycle handlers (validateProbe, validateHandler and friends): exactly one handler, handler fields,
 * non-negative timings, liveness/startup successThreshold of 1, and sleep bounds against the grace period.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, objs, optNum, optObj, str, strs, type Obj } from './access';
import { each, isHTTPHeaderName, isValidPortName, isValidPortNum } from './formats';
import { validateNonnegative } from './meta';

/** ValidatePortNumOrName for an IntOrString port. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return each(path, port, isValidPortNum(port));
  if (typeof port === 'string') return each(path, port, isValidPortName(port));
  return each(path, 0, isValidPortNum(0));
}

function handlerKindErrors(kind: string, h: Obj, path: string, gracePeriod: number | undefined): FieldError[] {
  switch (kind) {
    case 'exec':
      return strs(h.command).length ? [] : [fieldErr.required(child(path, 'command'))];
    case 'httpGet': {
      const errs: FieldError[] = [];
      if (!str(h.path)) errs.push(fieldErr.required(child(path, 'path')));
      errs.push(...validatePortNumOrName(h.port, child(path, 'port')));
      const scheme = str(h.scheme);
      if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(fieldErr.notSupported(child(path, 'scheme'), scheme, ['HTTP', 'HTTPS']));
      for (const header of objs(h.httpHeaders)) errs.push(...each(child(path, 'httpHeaders'), str(header.name), isHTTPHeaderName(str(header.name))));
      return errs;
    }
    case 'tcpSocket':
      return validatePortNumOrName(h.port, child(path, 'port'));
    case 'grpc':
      return each(child(path, 'port'), optNum(h.port) ?? 0, isValidPortNum(optNum(h.port) ?? 0));
    case 'sleep': {
      const s = optNum(h.seconds) ?? 0;
      if (gracePeriod !== undefined && (s <= 0 || s > gracePeriod))
        return [
          fieldErr.invalid(
            path,
            s,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
          ),
        ];
      return [];
    }
  }
  return [];
}

function validateHandler(handler: Obj, kinds: string[], path: string, gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const k of kinds) {
    const h = optObj(handler[k]);
    if (!h) continue;
    if (n > 0) errs.push(fieldErr.forbidden(child(path, k), 'may not specify more than 1 handler type'));
    else {
      n++;
      errs.push(...handlerKindErrors(k, h, child(path, k), gracePeriod));
    }
  }
  if (n === 0) errs.push(fieldErr.required(path, 'must specify a handler type'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(probe: Obj, path: string, gracePeriod: number | undefined): FieldError[] {
  const errs = validateHandler(probe, PROBE_HANDLERS, path, gracePeriod);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    errs.push(...validateNonnegative(optNum(probe[f]) ?? 0, child(path, f)));
  const tgps = optNum(probe.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) errs.push(fieldErr.invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  return errs;
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbeOf(kind: ProbeKind, probeIn: unknown, path: string, gracePeriod: number | undefined): FieldError[] {
  const probe = optObj(probeIn);
  if (!probe) return [];
  const errs = validateProbe(probe, path, gracePeriod);
  if (kind === 'readinessProbe') {
    if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null)
      errs.push(fieldErr.invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  } else if ((optNum(probe.successThreshold) ?? 0) !== 1) {
    errs.push(fieldErr.invalid(child(path, 'successThreshold'), optNum(probe.successThreshold) ?? 0, 'must be 1'));
  }
  return errs;
}

export function validateLifecycle(lifecycle: Obj, path: string, gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const phase of ['postStart', 'preStop']) {
    const h = optObj(lifecycle[phase]);
    if (h) errs.push(...validateHandler(h, LIFECYCLE_HANDLERS, child(path, phase), gracePeriod));
  }
  return errs;
}
