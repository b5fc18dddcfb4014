/**
 * The walk behind .ci/gen-protobuf-descriptor.ts: from a root Go struct, every message it reaches, as descriptor
 * entries. The wire side (numbers, proto types, repeated, map entries) comes from the proto descriptors the binary
 * registers; the JSON side (json name, omitempty, inline, pointer) from the Go struct fields. Fails loudly when the
 * two disagree or a Go field has no proto field (and vice versa).
 */
import type { GoType } from './go-types';
import type { ProtoField } from './file-descriptors';

/** One field: [number, jsonName ('' = inline), type, flags, goName when not the capitalised jsonName]. */
export type FieldEntry = [number, string, string, string] | [number, string, string, string, string];

export const APIEXTENSIONS = 'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1';

/** Go types with their own JSON form, decoded by hand-written code (src/api/protobuf/special.ts). */
const SPECIAL: Record<string, string> = {
  'k8s.io/apimachinery/pkg/api/resource.Quantity': '@Quantity',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': '@Time',
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': '@MicroTime',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': '@Duration',
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': '@FieldsV1',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': '@IntOrString',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': '@RawExtension',
  [`${APIEXTENSIONS}.JSON`]: '@JSON',
  [`${APIEXTENSIONS}.JSONSchemaPropsOrArray`]: '@SchemaOrArray',
  [`${APIEXTENSIONS}.JSONSchemaPropsOrBool`]: '@SchemaOrBool',
  [`${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`]: '@SchemaOrStringArray',
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

export function goKey(t: GoType): string {
  return `${t.pkgPath}.${t.str.slice(t.str.lastIndexOf('.') + 1)}`;
}

/** `k8s.io/api/core/v1.Pod` → `k8s.io.api.core.v1.Pod`, the name go-to-protobuf gives the message. */
function protoName(t: GoType): string {
  return goKey(t).replace(/\//g, '.').replace(/-/g, '_');
}

/** `k8s.io/api/core/v1.Pod` → `core/v1.Pod`; `k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta` → `meta/v1.ObjectMeta`. */
function messageName(key: string): string {
  return key.replace(/^k8s\.io\/(api|apiextensions-apiserver\/pkg\/apis|apimachinery\/pkg\/apis|apimachinery\/pkg)\//, '');
}

function tagValue(tag: string, key: string): string | undefined {
  return new RegExp(`(?:^| )${key}:"([^"]*)"`).exec(tag)?.[1];
}

export function fail(where: string, why: string): never {
  throw new Error(`${where}: ${why}`);
}

function deref(t: GoType): { t: GoType; pointer: boolean } {
  return t.kind === 'ptr' ? { t: t.elem!, pointer: true } : { t, pointer: false };
}

export class Walker {
  readonly notes = new Set<string>();

  constructor(
    /** Messages found so far, by descriptor name; shared by walkers over several binaries. */
    readonly messages: Map<string, FieldEntry[]>,
    private readonly proto: Map<string, ProtoField[]>,
    /** Fields a binary lacks (added upstream after the version it links), by message name. */
    private readonly added: Record<string, FieldEntry[]> = {},
  ) {}

  /** The descriptor type of one value whose proto field is `pf` and whose Go type is `go` (already dereferenced). */
  valueType(pf: ProtoField, go: GoType, where: string): string {
    if (pf.type !== 'message') {
      const kinds = SCALARS[pf.type] ?? fail(where, `proto type ${pf.type}`);
      if (!kinds.includes(go.kind) || (pf.type === 'bytes' && go.elem?.kind !== 'uint8')) fail(where, `proto ${pf.type} held in Go ${go.str}`);
      return pf.type;
    }
    // A named []string such as authentication/v1 ExtraValue is a wrapper message (`repeated string items = 1`).
    if (go.kind === 'slice' && go.elem?.kind === 'string' && /\.ExtraValue$/.test(pf.typeName)) return '@ExtraValue';
    if (go.kind !== 'struct' || protoName(go) !== pf.typeName) fail(where, `proto ${pf.typeName} held in Go ${go.str}`);
    return SPECIAL[goKey(go)] ?? this.walk(go);
  }

  mapType(pf: ProtoField, go: GoType, where: string): string {
    const entry = this.proto.get(pf.typeName) ?? fail(where, `no map entry ${pf.typeName}`);
    const key = entry.find((f) => f.number === 1);
    const val = entry.find((f) => f.number === 2);
    if (!key || !val || key.type !== 'string' || go.key!.kind !== 'string' || entry.length !== 2) fail(where, 'unsupported map entry');
    const v = deref(go.elem!);
    if (v.pointer) fail(where, 'map of pointers');
    return `map:${this.valueType(val, v.t, `${where}[value]`)}`;
  }

  walk(t: GoType): string {
    const key = goKey(t);
    const name = messageName(key);
    if (this.messages.has(name)) return name;
    const pm = this.proto.get(protoName(t)) ?? fail(key, 'no embedded proto message');
    const fields: FieldEntry[] = [];
    this.messages.set(name, fields);
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
        type = this.mapType(pf, go, where);
      } else if (pf.repeated) {
        if (go.kind !== 'slice') fail(where, `repeated proto field in Go ${go.str}`);
        const el = deref(go.elem!);
        if (el.pointer) fail(where, 'slice of pointers');
        type = this.valueType(pf, el.t, where);
        flags += 'r';
      } else {
        type = this.valueType(pf, go, where);
      }
      if (jsonOpts.includes('omitempty')) flags += 'o';
      if (inline) flags += 'i';
      if (json === '-') flags += 'x';
      const jsonField = inline ? '' : json === '-' || !json ? pf.name : jsonName;
      if (!inline && json !== '-' && jsonName !== pf.name) this.notes.add(`${where}: json ${jsonName} / proto ${pf.name}`);
      const entry: FieldEntry = [num, jsonField, type, flags];
      if (f.name !== jsonField.charAt(0).toUpperCase() + jsonField.slice(1)) entry.push(f.name);
      fields.push(entry);
    }
    for (const pf of pm) if (!covered.has(pf.number)) fail(key, `proto field ${pf.name} = ${pf.number} has no Go field`);
    for (const added of this.added[name] ?? []) {
      if (covered.has(added[0])) fail(name, `field ${added[0]} is already in the binary`);
      fields.push(added);
    }
    return name;
  }
}
