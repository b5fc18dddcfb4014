/**
 * Container environment: env (names, valueFrom sources: fieldRef, resourceFieldRef, configMapKeyRef,
 * secretKeyRef) and envFrom, plus the downward-API field selectors shared with downwardAPI volumes. Names follow
 * 1.32's relaxed rule (RelaxedEnvironmentVariableValidation is on by default there).
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { tryParseQuantity } from '../../api/quantity';
import { child, index, objs, optObj, str, type Obj } from './access';
import { each, isConfigMapKey, isQualifiedName, nameIsDNSSubdomain } from './formats';

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const CONVERTIBLE = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy',
  'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);
const RESOURCE_FIELDS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const MEMORY_DIVISORS = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);

/** IsRelaxedEnvVarName. */
export function isRelaxedEnvVarName(v: string): string[] {
  const errs: string[] = [];
  if (!v) errs.push('environment variable name must be non-empty');
  if ([...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) > 0x7e || c === '='))
    errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  return errs;
}

function splitSubscript(fp: string): [string, string] | undefined {
  if (!fp.endsWith("']")) return undefined;
  const s = fp.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

export function validateObjectFieldSelector(fs: Obj, expressions: string[], path: string): FieldError[] {
  if (!str(fs.apiVersion)) return [fieldErr.required(child(path, 'apiVersion'))];
  const fp = str(fs.fieldPath);
  if (!fp) return [fieldErr.required(child(path, 'fieldPath'))];
  let converted = fp === 'spec.host' ? 'spec.nodeName' : fp;
  let error: string | undefined;
  const sub = splitSubscript(fp);
  if (str(fs.apiVersion) !== 'v1') error = `unsupported pod version: ${str(fs.apiVersion)}`;
  else if (sub) {
    if (sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') error = `field label does not support subscript: ${fp}`;
  } else if (!CONVERTIBLE.has(converted) && fp !== 'spec.host') error = `field label not supported: ${fp}`;
  if (error) return [fieldErr.invalid(child(path, 'fieldPath'), fp, `error converting fieldPath: ${error}`)];
  if (sub) {
    converted = sub[1];
    const k = sub[0] === 'metadata.annotations' ? converted.toLowerCase() : converted;
    return each(path, k, isQualifiedName(k));
  }
  return expressions.includes(converted) ? [] : [fieldErr.notSupported(child(path, 'fieldPath'), converted, expressions)];
}

export function validateResourceFieldSelector(fs: Obj, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs.resource);
  if (volume && !str(fs.containerName)) errs.push(fieldErr.required(child(path, 'containerName')));
  else if (!resource) errs.push(fieldErr.required(child(path, 'resource')));
  else if (!RESOURCE_FIELDS.includes(resource) && !resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-'))
    errs.push(fieldErr.notSupported(child(path, 'resource'), resource, RESOURCE_FIELDS));
  const divisor = tryParseQuantity(fs.divisor);
  if (divisor && !divisor.isZero()) {
    const d = divisor.toString();
    const cpu = resource.endsWith('.cpu');
    if (cpu && d !== '1m' && d !== '1')
      errs.push(fieldErr.invalid(child(path, 'divisor'), resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
    else if (!cpu && RESOURCE_FIELDS.includes(resource) && !MEMORY_DIVISORS.has(d)) {
      const what = resource.endsWith('.memory') ? 'memory' : 'local ephemeral storage';
      errs.push(fieldErr.invalid(child(path, 'divisor'), resource, `only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the ${what} resource`));
    }
  }
  return errs;
}

function keySelector(s: Obj, path: string): FieldError[] {
  const errs = each(child(path, 'name'), str(s.name), nameIsDNSSubdomain(str(s.name), false));
  const k = str(s.key);
  if (!k) errs.push(fieldErr.required(child(path, 'key')));
  else errs.push(...each(child(path, 'key'), k, isConfigMapKey(k)));
  return errs;
}

function valueFrom(ev: Obj, path: string): FieldError[] {
  const vf = optObj(ev.valueFrom);
  if (!vf) return [];
  const errs: FieldError[] = [];
  let n = 0;
  if (optObj(vf.fieldRef)) {
    n++;
    errs.push(...validateObjectFieldSelector(optObj(vf.fieldRef)!, ENV_FIELD_PATHS, child(path, 'fieldRef')));
  }
  if (optObj(vf.resourceFieldRef)) {
    n++;
    errs.push(...validateResourceFieldSelector(optObj(vf.resourceFieldRef)!, child(path, 'resourceFieldRef'), false));
  }
  for (const k of ['configMapKeyRef', 'secretKeyRef']) {
    if (!optObj(vf[k])) continue;
    n++;
    errs.push(...keySelector(optObj(vf[k])!, child(path, k)));
  }
  if (n === 0) errs.push(fieldErr.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (str(ev.value)) errs.push(fieldErr.invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (n > 1) errs.push(fieldErr.invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(env).forEach((ev, i) => {
    const p = index(path, i);
    const name = str(ev.name);
    if (!name) errs.push(fieldErr.required(child(p, 'name')));
    else errs.push(...each(child(p, 'name'), name, isRelaxedEnvVarName(name)));
    errs.push(...valueFrom(ev, child(p, 'valueFrom')));
  });
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(envFrom).forEach((ev, i) => {
    const p = index(path, i);
    const prefix = str(ev.prefix);
    if (prefix) errs.push(...each(child(p, 'prefix'), prefix, isRelaxedEnvVarName(prefix)));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef']) {
      const ref = optObj(ev[k]);
      if (!ref) continue;
      n++;
      const name = str(ref.name);
      if (!name) errs.push(fieldErr.required(child(p, k, 'name')));
      else errs.push(...each(child(p, k, 'name'), name, nameIsDNSSubdomain(name, true)));
    }
    if (n === 0) errs.push(fieldErr.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(fieldErr.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
