/**
 * Test helpers for validation: the upstream text of a field error (a Go-rendered badValue printed verbatim, an
 * omitted value printed as nothing — what kube-apiserver prints), and small fixtures (valid defaulted objects).
 */
import { fieldErrorMessage, type FieldError } from '../../../../src/api/field-errors';
import type { GroupVersionKind, KubeObject } from '../../../../src/api/object';
import { defaultObject } from '../../../../src/api/defaults';
import { isGoRepr } from '../../../../src/apiserver/validation';

const TYPE_TEXT: Partial<Record<FieldError['type'], string>> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueNotFound: 'Not found',
};

export function text(e: FieldError): string {
  if (!isGoRepr(e.badValue)) return fieldErrorMessage(e);
  let s = TYPE_TEXT[e.type] ?? e.type;
  if (!e.badValue.omit) s += `: ${e.badValue.goString}`;
  if (e.detail) s += `: ${e.detail}`;
  return e.field ? `${e.field}: ${s}` : s;
}

export function texts(errs: FieldError[]): string[] {
  return errs.map(text);
}

export const gvk = (group: string, kind: string, version = 'v1'): GroupVersionKind => ({ group, version, kind });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/** A deep copy, changed by `edit`, then defaulted. */
export function variant(base: Any, g: GroupVersionKind, edit: (o: Any) => void = () => {}): Any {
  const o = JSON.parse(JSON.stringify(base)) as Any;
  edit(o);
  defaultObject(g, o);
  return o;
}

export const POD = gvk('', 'Pod');
export const DEPLOYMENT = gvk('apps', 'Deployment');

export function pod(): Any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
}

export function template(labels: Record<string, string> = { app: 'web' }): Any {
  return { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
}

export function deployment(): Any {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } };
}

/** An object as stored after create (resourceVersion set), for update tests. */
export function stored<T extends KubeObject>(o: T, rv = '5'): T {
  const c = JSON.parse(JSON.stringify(o)) as T;
  c.metadata = { ...c.metadata, resourceVersion: rv, uid: 'uid-1', creationTimestamp: '2024-01-01T00:00:00Z' };
  return c;
}
