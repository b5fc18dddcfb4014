/**
 * ConfigMap, Secret and ServiceAccount (create and update): data keys, the 1 MiB size limit, the per-type Secret
 * keys, `immutable`, and Secret type immutability. Data sizes count decoded bytes (binaryData/data are base64).
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { key, obj, semanticEqual, sortedEntries, str, strMap, type Obj } from './access';
import { each, isConfigMapKey, nameIsDNSSubdomain } from './formats';
import { validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta';

const MAX_SIZE = 1024 * 1024;
const REDACTED = '<secret contents redacted>';

const decodedLength = (v: unknown): number => (typeof v === 'string' ? Buffer.from(v, 'base64').length : 0);

/** The error Go's json.Unmarshal into map[string]interface{} reports (approximated for the common cases). */
function goJSONMapError(text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'unexpected end of JSON input';
  try {
    const v: unknown = JSON.parse(t);
    if (v === null || (typeof v === 'object' && !Array.isArray(v))) return undefined;
    const kind = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
    return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
  } catch {
    return /^[{["tfn\-0-9]/.test(t) ? 'unexpected end of JSON input' : `invalid character '${t[0]}' looking for beginning of value`;
  }
}

export function validateConfigMap(cm: Obj): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain);
  const binary = obj(cm.binaryData);
  let size = 0;
  for (const [k, v] of sortedEntries(cm.data)) {
    errs.push(...each(key('data', k), k, isConfigMapKey(k)));
    if (k in binary) errs.push(fieldErr.invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(str(v));
  }
  for (const [k, v] of sortedEntries(binary)) {
    errs.push(...each(key('binaryData', k), k, isConfigMapKey(k)));
    size += decodedLength(v);
  }
  // Upstream reports the whole object with field.NewPath(""), which prints as `[]`.
  if (size > MAX_SIZE) errs.push(fieldErr.tooLong('[]', MAX_SIZE));
  return errs;
}

function immutableRules(n: Obj, o: Obj, fields: string[]): FieldError[] {
  if (o.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (n.immutable !== true) errs.push(fieldErr.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!semanticEqual(n[f], o[f])) errs.push(fieldErr.forbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateConfigMapUpdate(cm: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(cm.metadata, old.metadata), ...immutableRules(cm, old, ['data', 'binaryData']), ...validateConfigMap(cm)];
}

function jsonKey(data: Obj, k: string): FieldError[] {
  if (!(k in data)) return [fieldErr.required(key('data', k))];
  const err = goJSONMapError(Buffer.from(str(data[k]), 'base64').toString('utf8'));
  return err ? [fieldErr.invalid(key('data', k), REDACTED, err)] : [];
}

export function validateSecret(secret: Obj): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, true, nameIsDNSSubdomain);
  const data = obj(secret.data);
  let size = 0;
  for (const [k, v] of sortedEntries(data)) {
    errs.push(...each(key('data', k), k, isConfigMapKey(k)));
    size += decodedLength(v);
  }
  if (size > MAX_SIZE) errs.push(fieldErr.tooLong('data', MAX_SIZE));
  switch (str(secret.type)) {
    case 'kubernetes.io/service-account-token':
      if (!strMap(obj(secret.metadata).annotations)['kubernetes.io/service-account.name'])
        errs.push(fieldErr.required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
      break;
    case 'kubernetes.io/dockercfg':
      errs.push(...jsonKey(data, '.dockercfg'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      errs.push(...jsonKey(data, '.dockerconfigjson'));
      break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) errs.push(fieldErr.required(key('data', 'username')), fieldErr.required(key('data', 'password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decodedLength(data['ssh-privatekey'])) errs.push(fieldErr.required(key('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!('tls.crt' in data)) errs.push(fieldErr.required(key('data', 'tls.crt')));
      if (!('tls.key' in data)) errs.push(fieldErr.required(key('data', 'tls.key')));
      break;
  }
  return errs;
}

export function validateSecretUpdate(secret: Obj, old: Obj): FieldError[] {
  return [
    ...validateObjectMetaUpdate(secret.metadata, old.metadata),
    ...validateImmutable(str(secret.type), str(old.type), 'type'),
    ...immutableRules(secret, old, ['data']),
    ...validateSecret(secret),
  ];
}

export function validateServiceAccount(sa: Obj): FieldError[] {
  return validateObjectMeta(sa.metadata, true, nameIsDNSSubdomain);
}

export function validateServiceAccountUpdate(sa: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(sa.metadata, old.metadata), ...validateServiceAccount(sa)];
}
