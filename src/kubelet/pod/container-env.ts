/**
 * A container's environment as the kubelet builds it (upstream kubelet_pods.go makeEnvironmentVariables): envFrom
 * ConfigMaps/Secrets (with prefix), then env in order with `$(VAR)` expansion against what is defined so far,
 * valueFrom fieldRef / resourceFieldRef / configMapKeyRef / secretKeyRef. A missing, non-optional source fails with
 * the kubelet's words, which become CreateContainerConfigError. Also expands `$(VAR)` in command and args.
 * Service links (KUBERNETES_SERVICE_HOST, <SVC>_SERVICE_HOST, …) are not injected.
 */
import { tryParseQuantity } from '../../api/quantity';
import type { EnvVar } from '../runtime/runtime';

type Obj = Record<string, unknown>;

/** Reads a ConfigMap or Secret the pod references (undefined when it does not exist). */
export type SourceReader = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => Promise<Obj | undefined>;

export class ContainerConfigError extends Error {}

/** Kubernetes' $(VAR) expansion: $$ escapes, an undefined reference stays as written. */
export function expand(input: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const nx = input[i + 1];
    if (nx === '$') {
      out += '$';
      i++;
    } else if (nx === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      out += vars.has(name) ? vars.get(name)! : `$(${name})`;
      i = end;
    } else out += ch;
  }
  return out;
}

function fieldValue(pod: Obj, path: string, podIP: string, hostIP: string): string {
  const md = (pod.metadata ?? {}) as { name?: string; namespace?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? md.labels : md.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return md.name ?? '';
    case 'metadata.namespace':
      return md.namespace ?? '';
    case 'metadata.uid':
      return md.uid ?? '';
    case 'spec.nodeName':
      return spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    default:
      throw new ContainerConfigError(`unsupported fieldRef path: ${path}`);
  }
}

function decode(kind: 'ConfigMap' | 'Secret', obj: Obj, key: string): string | undefined {
  if (kind === 'Secret') {
    const v = (obj.data as Record<string, string> | undefined)?.[key];
    if (v !== undefined) return Buffer.from(v, 'base64').toString('utf8');
    return (obj.stringData as Record<string, string> | undefined)?.[key];
  }
  const v = (obj.data as Record<string, string> | undefined)?.[key];
  if (v !== undefined) return v;
  const b = (obj.binaryData as Record<string, string> | undefined)?.[key];
  return b === undefined ? undefined : Buffer.from(b, 'base64').toString('utf8');
}

function allKeys(kind: 'ConfigMap' | 'Secret', obj: Obj): [string, string][] {
  const data = (obj.data ?? {}) as Record<string, string>;
  return Object.keys(data).map((k) => [k, decode(kind, obj, k) ?? '']);
}

const notFound = (kind: 'ConfigMap' | 'Secret', name: string) => new ContainerConfigError(`${kind === 'ConfigMap' ? 'configmap' : 'secret'} "${name}" not found`);

/**
 * resourceFieldRef (upstream ExtractContainerResourceValue): the container's limit or request divided by the divisor
 * (default 1), rounded up; an unset limit is the node's allocatable.
 */
function resourceValue(container: Obj, ref: { resource?: string; divisor?: string }, allocatable: Readonly<Record<string, string>>): string {
  const [kind, name] = (ref.resource ?? '').split('.') as ['limits' | 'requests', string];
  const res = (container.resources ?? {}) as { limits?: Record<string, string>; requests?: Record<string, string> };
  const raw = res[kind]?.[name] ?? (kind === 'limits' ? allocatable[name] : undefined) ?? (kind === 'requests' ? res.limits?.[name] : undefined) ?? '0';
  const q = tryParseQuantity(raw);
  const d = tryParseQuantity(ref.divisor ?? '1');
  if (!q || !d || d.isZero()) throw new ContainerConfigError(`unsupported container resource: ${ref.resource}`);
  // Both in milli-units; ceiling division keeps it exact for whole and fractional divisors alike.
  const num = q.milliValue();
  const den = d.milliValue();
  return String(num / den + (num % den > 0n ? 1n : 0n));
}

export interface EnvInput {
  pod: Obj;
  container: { env?: Obj[]; envFrom?: Obj[]; command?: string[]; args?: string[] };
  podIP: string;
  hostIP: string;
  read: SourceReader;
  /** The node's allocatable, for resourceFieldRef limits the container does not set. */
  allocatable?: Readonly<Record<string, string>>;
}

/** The resolved environment (in order, later names override earlier ones) and the expanded command/args. */
export async function containerEnv(i: EnvInput): Promise<{ env: EnvVar[]; command?: string[]; args?: string[] }> {
  const ns = ((i.pod.metadata ?? {}) as { namespace?: string }).namespace ?? 'default';
  const vars = new Map<string, string>();
  const cache = new Map<string, Obj | undefined>();
  const source = async (kind: 'ConfigMap' | 'Secret', name: string): Promise<Obj | undefined> => {
    const k = `${kind}/${name}`;
    if (!cache.has(k)) cache.set(k, await i.read(kind, ns, name));
    return cache.get(k);
  };
  for (const from of i.container.envFrom ?? []) {
    const ref = (from.configMapRef ?? from.secretRef) as { name?: string; optional?: boolean } | undefined;
    if (!ref?.name) continue;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const obj = await source(kind, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      throw notFound(kind, ref.name);
    }
    const prefix = typeof from.prefix === 'string' ? from.prefix : '';
    for (const [k, v] of allKeys(kind, obj)) vars.set(prefix + k, v);
  }
  for (const e of i.container.env ?? []) {
    const name = String(e.name ?? '');
    if (typeof e.value === 'string' && (e.value !== '' || !e.valueFrom)) {
      vars.set(name, expand(e.value, vars));
      continue;
    }
    const vf = (e.valueFrom ?? {}) as Obj;
    if (vf.fieldRef) vars.set(name, fieldValue(i.pod, String((vf.fieldRef as Obj).fieldPath ?? ''), i.podIP, i.hostIP));
    else if (vf.resourceFieldRef) vars.set(name, resourceValue(i.container as Obj, vf.resourceFieldRef as { resource?: string; divisor?: string }, i.allocatable ?? {}));
    else if (vf.configMapKeyRef || vf.secretKeyRef) {
      const kind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const ref = (vf.configMapKeyRef ?? vf.secretKeyRef) as { name?: string; key?: string; optional?: boolean };
      const obj = await source(kind, ref.name ?? '');
      if (!obj) {
        if (ref.optional) continue;
        throw notFound(kind, ref.name ?? '');
      }
      const v = decode(kind, obj, ref.key ?? '');
      if (v === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`);
      }
      vars.set(name, v);
    } else vars.set(name, '');
  }
  const env = [...vars].map(([name, value]) => ({ name, value }));
  const x = (a?: string[]) => a?.map((s) => expand(s, vars));
  return { env, command: x(i.container.command), args: x(i.container.args) };
}
