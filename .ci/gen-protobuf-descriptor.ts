/**
 * Generates src/api/protobuf/descriptor.json: the protobuf wire descriptor of every message reachable from the kinds
 * KubeLab serves (plus Binding, Eviction, DeleteOptions, Scale, TokenRequest), derived from the Go API types that
 * kubectl 1.32 itself is built from. For each Go struct field it records the protobuf field number (from the
 * `protobuf:"…"` tag), the JSON name and omitempty / inline (from the `json:"…"` tag) and whether the Go field is a
 * pointer, slice or map — what a decoder needs to rebuild the exact JSON a Go JSON client would have sent.
 *
 * Source: the Go runtime type descriptors inside the kubectl 1.32 binary (read by .ci/protobuf/go-types.ts), the same
 * data encoding/json and gogo-protobuf see at run time. apiextensions.k8s.io/v1 is not linked into kubectl; its
 * messages come from the hand-written table in .ci/protobuf/apiextensions.ts (researched from upstream's
 * generated.proto and types.go). Deterministic: same binary, same output.
 *
 *   npx tsx .ci/gen-protobuf-descriptor.ts [path/to/kubectl-1.32]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GoBinary, type GoType } from './protobuf/go-types';
import { embeddedMessages, type ProtoField } from './protobuf/file-descriptors';
import { APIEXTENSIONS_KINDS, APIEXTENSIONS_MESSAGES } from './protobuf/apiextensions';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'src/api/protobuf/descriptor.json');
const KUBECTL = process.argv[2] ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

/** apiVersion → kinds a client may send as a request body. */
const ROOTS: Record<string, string[]> = {
  v1: ['Namespace', 'Pod', 'Service', 'Endpoints', 'Node', 'Event', 'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolume', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota', 'ReplicationController', 'PodTemplate', 'ComponentStatus', 'Binding'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'],
  'autoscaling/v1': ['Scale'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['Job', 'CronJob'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass'],
  'policy/v1': ['PodDisruptionBudget', 'Eviction'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['StorageClass'],
  'authentication.k8s.io/v1': ['TokenRequest'],
};

/** Kinds registered in every group version (metav1.AddToGroupVersion); keyed `*\/Kind`. */
const META_KINDS = ['DeleteOptions'];

/** Go types with their own JSON form, decoded by hand-written code (src/api/protobuf/special.ts). */
const SPECIAL: Record<string, string> = {
  'k8s.io/apimachinery/pkg/api/resource.Quantity': '@Quantity',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': '@Time',
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': '@MicroTime',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': '@Duration',
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': '@FieldsV1',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': '@IntOrString',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': '@RawExtension',
};

/** Proto scalar types and the Go kinds that may carry them. */
const SCALARS: Record<string, string[]> = {
  string: ['string'],
  bytes: ['slice'],
  bool: ['bool'],
  int32: ['int32'],
  int64: ['int64'],
  uint32: ['uint32'],
  uint64: ['uint64'],
  double: ['float64'],
  float: ['float32'],
};

/** One field: [number, jsonName ('' = inline), type, flags, goName when not the capitalised jsonName]. */
export type FieldEntry = [number, string, string, string] | [number, string, string, string, string];

const messages = new Map<string, FieldEntry[]>();
const notes = new Set<string>();
const structs = new GoBinary(KUBECTL).namedStructs((p) => p.startsWith('k8s.io/api/') || p.startsWith('k8s.io/apimachinery/'));
const proto = embeddedMessages(KUBECTL).messages;

function goKey(t: GoType): string {
  return `${t.pkgPath}.${t.str.slice(t.str.lastIndexOf('.') + 1)}`;
}

/** `k8s.io/api/core/v1.Pod` → `k8s.io.api.core.v1.Pod`, the name go-to-protobuf gives the message. */
function protoName(t: GoType): string {
  return goKey(t).replace(/\//g, '.');
}

/** `k8s.io/api/core/v1.Pod` → `core/v1.Pod`; `k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta` → `meta/v1.ObjectMeta`. */
function messageName(key: string): string {
  return key.replace(/^k8s\.io\/api\//, '').replace(/^k8s\.io\/apimachinery\/pkg\/apis\//, '').replace(/^k8s\.io\/apimachinery\/pkg\//, '');
}

function tagValue(tag: string, key: string): string | undefined {
  return new RegExp(`(?:^| )${key}:"([^"]*)"`).exec(tag)?.[1];
}

function fail(where: string, why: string): never {
  throw new Error(`${where}: ${why}`);
}

function deref(t: GoType): { t: GoType; pointer: boolean } {
  return t.kind === 'ptr' ? { t: t.elem!, pointer: true } : { t, pointer: false };
}

/** The descriptor type of one value whose proto field is `pf` and whose Go type is `go` (already dereferenced). */
function valueType(pf: ProtoField, go: GoType, where: string): string {
  if (pf.type !== 'message') {
    const kinds = SCALARS[pf.type] ?? fail(where, `proto type ${pf.type}`);
    if (!kinds.includes(go.kind) || (pf.type === 'bytes' && go.elem?.kind !== 'uint8')) fail(where, `proto ${pf.type} held in Go ${go.str}`);
    return pf.type;
  }
  if (go.kind === 'slice') {
    // A named slice carried as a wrapper message `{ repeated string items = 1 }` (authentication/v1 ExtraValue).
    const wrapper = proto.get(pf.typeName) ?? fail(where, `no message ${pf.typeName}`);
    if (!go.named || go.elem!.kind !== 'string' || wrapper.length !== 1 || wrapper[0].number !== 1 || !wrapper[0].repeated || wrapper[0].type !== 'string') {
      fail(where, `unexpected slice message ${pf.typeName}`);
    }
    notes.add(`${where}: ${go.str} is the wrapper message ${pf.typeName} { repeated string items = 1 }`);
    return '@Items';
  }
  if (go.kind !== 'struct' || protoName(go) !== pf.typeName) fail(where, `proto ${pf.typeName} held in Go ${go.str}`);
  return SPECIAL[goKey(go)] ?? walk(go);
}

function mapType(pf: ProtoField, go: GoType, where: string): string {
  const entry = proto.get(pf.typeName) ?? fail(where, `no map entry ${pf.typeName}`);
  const key = entry.find((f) => f.number === 1);
  const val = entry.find((f) => f.number === 2);
  if (!key || !val || key.type !== 'string' || go.key!.kind !== 'string' || entry.length !== 2) fail(where, 'unsupported map entry');
  const v = deref(go.elem!);
  if (v.pointer) fail(where, 'map of pointers');
  return `map:${valueType(val, v.t, `${where}[value]`)}`;
}

function walk(t: GoType): string {
  const key = goKey(t);
  const name = messageName(key);
  if (messages.has(name)) return name;
  const pm = proto.get(protoName(t)) ?? fail(key, 'no embedded proto message');
  const fields: FieldEntry[] = [];
  messages.set(name, fields);
  const covered = new Set<number>();
  for (const f of t.fields ?? []) {
    const where = `${key}.${f.name}`;
    const ptag = tagValue(f.tag, 'protobuf');
    const json = tagValue(f.tag, 'json');
    if (!ptag || ptag === '-') {
      const typeMeta = f.embedded && goKey(f.type) === 'k8s.io/apimachinery/pkg/apis/meta/v1.TypeMeta';
      if (!typeMeta && json !== '-') fail(where, 'a JSON field with no protobuf tag');
      continue;
    }
    const num = Number(ptag.split(',')[1]);
    const pf = pm.find((x) => x.number === num) ?? fail(where, `field ${num} not in ${protoName(t)}`);
    covered.add(num);
    const [jsonName = '', ...jsonOpts] = (json ?? '').split(',');
    const inline = jsonOpts.includes('inline');
    let flags = '';
    let type: string;
    const { t: go, pointer } = deref(f.type);
    if (pointer) flags += 'p';
    if (go.kind === 'map') {
      if (!pf.repeated) fail(where, 'Go map, proto not repeated');
      type = mapType(pf, go, where);
    } else if (pf.repeated) {
      if (go.kind !== 'slice') fail(where, `repeated proto field in Go ${go.str}`);
      const el = deref(go.elem!);
      if (el.pointer) fail(where, 'slice of pointers');
      type = valueType(pf, el.t, where);
      flags += 'r';
    } else {
      type = valueType(pf, go, where);
    }
    if (jsonOpts.includes('omitempty')) flags += 'o';
    if (inline) flags += 'i';
    if (json === '-') flags += 'x';
    const jsonField = inline ? '' : json === '-' || !json ? pf.name : jsonName;
    if (!inline && json !== '-' && jsonName !== pf.name) notes.add(`${where}: json ${jsonName} / proto ${pf.name}`);
    const entry: FieldEntry = [num, jsonField, type, flags];
    if (f.name !== jsonField.charAt(0).toUpperCase() + jsonField.slice(1)) entry.push(f.name);
    fields.push(entry);
  }
  for (const pf of pm) if (!covered.has(pf.number)) fail(key, `proto field ${pf.name} = ${pf.number} has no Go field`);
  fields.sort((a, b) => a[0] - b[0]);
  return name;
}

function rootStruct(apiVersion: string, kind: string): GoType {
  const gv = apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`;
  const pkg = `k8s.io/api/${gv.replace(/^([^/.]+)(\.[^/]+)?\//, '$1/')}`;
  const candidates = [`${pkg}.${kind}`, `k8s.io/api/${gv.split('/')[0].split('.')[0]}/${gv.split('/')[1]}.${kind}`];
  for (const c of candidates) {
    const t = structs.get(c);
    if (t) return t;
  }
  return fail(`${apiVersion} ${kind}`, `no Go struct among ${candidates.join(', ')}`);
}

const kinds: Record<string, string> = {};
for (const [apiVersion, list] of Object.entries(ROOTS)) {
  for (const kind of list) kinds[`${apiVersion}/${kind}`] = walk(rootStruct(apiVersion, kind));
}
for (const kind of META_KINDS) {
  kinds[`*/${kind}`] = walk(structs.get(`k8s.io/apimachinery/pkg/apis/meta/v1.${kind}`) ?? fail(kind, 'missing'));
}
for (const [k, v] of Object.entries(APIEXTENSIONS_KINDS)) kinds[k] = v;
for (const [k, v] of Object.entries(APIEXTENSIONS_MESSAGES)) {
  if (messages.has(k)) fail(k, 'apiextensions message collides');
  messages.set(k, v);
}

const sorted = Object.fromEntries([...messages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const doc = {
  comment: 'Generated by .ci/gen-protobuf-descriptor.ts from the Go API types of kubectl 1.32 (+ apiextensions table). Field: [number, json name ("" = inline), type, flags p=pointer r=repeated o=omitempty i=inline x=json:"-", Go name if not the capitalised json name].',
  kinds: Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  messages: sorted,
};
const lines = [
  '{',
  `  "comment": ${JSON.stringify(doc.comment)},`,
  `  "kinds": ${JSON.stringify(doc.kinds)},`,
  '  "messages": {',
  Object.entries(sorted)
    .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n'),
  '  }',
  '}',
  '',
];
fs.writeFileSync(OUT, lines.join('\n'));
for (const m of notes) console.log(`note: ${m}`);
console.log(`wrote ${path.relative(ROOT, OUT)}: ${Object.keys(kinds).length} kinds, ${messages.size} messages`);
