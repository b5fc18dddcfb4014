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

/** apimachinery's format messages, as kube-apiserver prints them (upstream text, shared by the per-kind tables). */
export const MSG = {
  dnsLabel:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  dnsSubdomain:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  labelName:
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  labelValue:
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  portRange: 'must be between 1 and 65535, inclusive',
  negative: 'must be greater than or equal to 0',
  immutable: 'field is immutable',
  mismatch: '`selector` does not match template `labels`',
};

/** Runs a table of `edit → expected messages` cases against create validation of a base object. */
export interface CreateCase {
  name: string;
  edit: (o: Any) => void;
  want: string[];
}
