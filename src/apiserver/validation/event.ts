/**
 * Events, core/v1 (legacy rules only, as upstream keeps them for compatibility) and events.k8s.io/v1 (the strict
 * rules: metadata, eventTime, type, series, unset deprecated fields, immutability on update). Paths use upstream's
 * internal names (`involvedObject`, `message`), as its messages do.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { obj, optObj, str, type Obj } from './access';
import { each, isQualifiedName, nameIsDNSSubdomain } from './formats';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta';

/** Upstream's internal event shape, read from either API version. */
interface InternalEvent {
  namespace: string;
  involvedNamespace: string;
  eventTime: unknown;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  message: string;
  type: string;
}

function internal(e: Obj, eventsAPI: boolean): InternalEvent {
  return {
    namespace: str(obj(e.metadata).namespace),
    involvedNamespace: str(obj(eventsAPI ? e.regarding : e.involvedObject).namespace),
    eventTime: e.eventTime,
    reportingController: str(eventsAPI ? e.reportingController : e.reportingComponent),
    reportingInstance: str(e.reportingInstance),
    action: str(e.action),
    reason: str(e.reason),
    message: str(eventsAPI ? e.note : e.message),
    type: str(e.type),
  };
}

function legacy(ev: InternalEvent, coreV1: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const controllerField = coreV1 ? 'reportingComponent' : 'reportingController';
  const mismatch = (): FieldError => fieldErr.invalid('involvedObject.namespace', ev.involvedNamespace, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (!ev.involvedNamespace) {
      if (ev.namespace !== '' && ev.namespace !== 'default') errs.push(mismatch());
    } else if (ev.namespace !== ev.involvedNamespace) errs.push(mismatch());
  } else {
    if (!ev.involvedNamespace && ev.namespace !== 'default' && ev.namespace !== 'kube-system') errs.push(mismatch());
    if (!ev.reportingController) errs.push(fieldErr.required(controllerField));
    errs.push(...each(controllerField, ev.reportingController, isQualifiedName(ev.reportingController)));
    if (!ev.reportingInstance) errs.push(fieldErr.required('reportingInstance'));
    if (ev.reportingInstance.length > 128) errs.push(fieldErr.invalid('reportingInstance', '', 'can have at most 128 characters'));
    if (!ev.action) errs.push(fieldErr.required('action'));
    if (ev.action.length > 128) errs.push(fieldErr.invalid('action', '', 'can have at most 128 characters'));
    if (!ev.reason) errs.push(fieldErr.required('reason'));
    if (ev.reason.length > 128) errs.push(fieldErr.invalid('reason', '', 'can have at most 128 characters'));
    if (ev.message.length > 1024) errs.push(fieldErr.invalid('message', '', 'can have at most 1024 characters'));
  }
  errs.push(...each('namespace', ev.namespace, nameIsDNSSubdomain(ev.namespace, false)));
  return errs;
}

function series(e: Obj): FieldError[] {
  const s = optObj(e.series);
  if (!s) return [];
  const errs: FieldError[] = [];
  if (typeof s.count !== 'number' || s.count < 2) errs.push(fieldErr.invalid('series.count', '', 'should be at least 2'));
  if (!s.lastObservedTime) errs.push(fieldErr.required('series.lastObservedTime'));
  return errs;
}

/** core/v1 Event create/update (legacy validation only). */
export function validateCoreEvent(e: Obj): FieldError[] {
  return legacy(internal(e, false), true);
}

export function validateEventsV1Event(e: Obj): FieldError[] {
  const ev = internal(e, true);
  const errs = [...legacy(ev, false), ...validateObjectMeta(e.metadata, true, nameIsDNSSubdomain), ...series(e)];
  if (!ev.eventTime) errs.push(fieldErr.required('eventTime'));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(fieldErr.invalid('type', '', `has invalid value: ${ev.type}`));
  if (e.deprecatedFirstTimestamp) errs.push(fieldErr.invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(fieldErr.invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(fieldErr.invalid('deprecatedCount', '', 'needs to be unset'));
  const src = obj(e.deprecatedSource);
  if (str(src.component) || str(src.host)) errs.push(fieldErr.invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

export function validateEventsV1EventUpdate(e: Obj, old: Obj): FieldError[] {
  const errs = [...legacy(internal(e, true), false), ...validateObjectMetaUpdate(e.metadata, old.metadata), ...series(e)];
  const pairs: [string, string][] = [
    ['regarding', 'involvedObject'], ['reason', 'reason'], ['note', 'message'], ['deprecatedSource', 'source'],
    ['deprecatedFirstTimestamp', 'firstTimestamp'], ['deprecatedLastTimestamp', 'lastTimestamp'], ['deprecatedCount', 'count'],
    ['type', 'type'], ['eventTime', 'eventTime'], ['action', 'action'], ['related', 'related'],
    ['reportingController', 'reportingController'], ['reportingInstance', 'reportingInstance'],
  ];
  for (const [f, path] of pairs) errs.push(...validateImmutable(e[f], old[f], path, e[f] ?? ''));
  return errs;
}
