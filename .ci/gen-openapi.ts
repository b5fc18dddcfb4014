/**
 * Generates src/api/openapi/definitions.json: the OpenAPI v3 component schemas of every Kubernetes type, keyed by
 * upstream definition name (io.k8s.api.apps.v1.Deployment, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, …).
 *
 * Source: the `kubernetes-types` .d.ts files (types, required fields, upstream descriptions as doc comments), read
 * with the TypeScript compiler API, plus the hand-researched table in src/api/openapi/upstream-tags.ts for what the
 * .d.ts cannot carry (patch strategies, list types, int64/float/byte fields, defaults). Deterministic: the same
 * inputs always give byte-identical output, which test/unit/api/openapi/definitions.test.ts checks.
 *
 *   npx tsx .ci/gen-openapi.ts          rewrite the checked-in file
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { GroupVersionKind } from '../src/api/object';
import type { Schema } from '../src/api/openapi/schema-types';
import {
  ATOMIC_STRUCTS,
  BYTE_FIELDS,
  EXTRA_FIELDS,
  FIELD_DEFAULTS,
  FIELD_RULES,
  FLOAT_FIELDS,
  INT32_EXCEPTIONS,
  INT64_FIELDS,
  STRUCT_FIELDS,
  upstreamName,
} from '../src/api/openapi/upstream-tags';

const ROOT = path.resolve(__dirname, '..');
export const DEFINITIONS_FILE = path.join(ROOT, 'src/api/openapi/definitions.json');
const TYPES_DIR = path.join(ROOT, 'node_modules/kubernetes-types');
const REF = '#/components/schemas/';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

/** kubernetes-types file (without .d.ts) → upstream package of its definitions. */
function upstreamPackage(file: string): string {
  const special: Record<string, string> = {
    'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
    runtime: 'io.k8s.apimachinery.pkg.runtime',
    'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
    version: 'io.k8s.apimachinery.pkg.version',
    'apiextensions/v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
  };
  return special[file] ?? `io.k8s.api.${file.replace('/', '.')}`;
}

/** The doc comment right before a node, with the ` * ` prefixes removed (upstream's text, newlines kept). */
function docOf(node: ts.Node, text: string): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!last) return undefined;
  const body = text.slice(last.pos + 3, last.end - 2);
  if (!body.includes('\n')) return body.trim();
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/^\s+$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

function propName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  throw new Error(`unsupported property name ${ts.SyntaxKind[name.kind]}`);
}

interface SourceFile {
  pkg: string;
  text: string;
  ast: ts.SourceFile;
  /** Local name → upstream definition name, for everything declared in or imported into the file. */
  names: Map<string, string>;
}

function listTypeFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listTypeFiles(dir, r));
    else if (e.name.endsWith('.d.ts')) out.push(r.slice(0, -'.d.ts'.length));
  }
  return out;
}

function loadFiles(): SourceFile[] {
  const files = listTypeFiles(TYPES_DIR).map((file): SourceFile & { file: string } => {
    const text = fs.readFileSync(path.join(TYPES_DIR, `${file}.d.ts`), 'utf8');
    const ast = ts.createSourceFile(`${file}.d.ts`, text, ts.ScriptTarget.ES2022, true);
    return { file, pkg: upstreamPackage(file), text, ast, names: new Map() };
  });
  for (const f of files) {
    for (const st of f.ast.statements) {
      if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) f.names.set(st.name.text, `${f.pkg}.${st.name.text}`);
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        const target = path.posix.join(path.posix.dirname(f.file), st.moduleSpecifier.text);
        const bindings = st.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) f.names.set(el.name.text, `${upstreamPackage(target)}.${(el.propertyName ?? el.name).text}`);
        }
      }
    }
  }
  return files;
}

/** Turns a property's field rules (see upstream-tags.ts) into schema extensions. */
function applyRule(schema: Schema, rule: string): void {
  for (const token of rule.split(' ')) {
    const [head, arg] = token.split(':');
    if (head === 'map') {
      schema['x-kubernetes-list-type'] = 'map';
      schema['x-kubernetes-list-map-keys'] = arg.split(',');
    } else if (head === 'set' || head === 'atomic') schema['x-kubernetes-list-type'] = head;
    else if (head === 'mapType') schema['x-kubernetes-map-type'] = arg as 'atomic';
    else if (['merge', 'merge,retainKeys', 'retainKeys', 'replace'].includes(head)) {
      schema['x-kubernetes-patch-strategy'] = head;
      if (arg) schema['x-kubernetes-patch-merge-key'] = arg;
    } else throw new Error(`unknown rule token ${token}`);
  }
}

class Generator {
  readonly defs: Record<string, Schema> = {};
  private readonly used = new Set<string>();
  /** Definitions that some field defaults to `{}` (checked to be structs). */
  private readonly structTargets = new Set<string>();
  private readonly groupVersions = new Set<string>();

  constructor(private readonly files: SourceFile[]) {}

  run(): Record<string, Schema> {
    for (const f of this.files) for (const st of f.ast.statements) this.declaration(f, st);
    this.defs[INT_OR_STRING] = {
      description:
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    };
    this.addMetaKinds();
    for (const key of ATOMIC_STRUCTS) this.definition(key)['x-kubernetes-map-type'] = 'atomic';
    const tables = [FIELD_RULES, FIELD_DEFAULTS, FLOAT_FIELDS, BYTE_FIELDS, INT32_EXCEPTIONS, EXTRA_FIELDS, STRUCT_FIELDS];
    for (const table of tables) for (const key of Object.keys(table)) this.definition(key);
    for (const [key, fields] of Object.entries(STRUCT_FIELDS)) for (const f of fields) if (!this.used.has(`${key}.${f}`)) throw new Error(`struct field ${key}.${f} missing`);
    for (const target of this.structTargets) {
      const d = this.defs[target];
      if (!d || d.type !== 'object') throw new Error(`default {} on a field of type ${target}, which is not a struct`);
    }
    for (const [key, fields] of Object.entries(FIELD_RULES)) for (const f of Object.keys(fields)) if (!this.used.has(`${key}.${f}`)) throw new Error(`rule for missing field ${key}.${f}`);
    const sorted: Record<string, Schema> = {};
    for (const name of Object.keys(this.defs).sort()) sorted[name] = this.defs[name];
    return sorted;
  }

  private definition(key: string): Schema {
    const d = this.defs[upstreamName(key)];
    if (!d) throw new Error(`table names missing definition ${key}`);
    return d;
  }

  private declaration(f: SourceFile, st: ts.Statement): void {
    if (ts.isTypeAliasDeclaration(st)) {
      const name = `${f.pkg}.${st.name.text}`;
      const description = docOf(st, f.text);
      const alias: Record<string, Schema> = {
        Quantity: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        Time: { type: 'string', format: 'date-time' },
        MicroTime: { type: 'string', format: 'date-time' },
      };
      this.defs[name] = { ...(description ? { description } : {}), ...(alias[st.name.text] ?? { [PRESERVE]: true }) };
      return;
    }
    if (!ts.isInterfaceDeclaration(st)) return;
    const name = `${f.pkg}.${st.name.text}`;
    const key = name.replace(/^io\.k8s\.(api|apimachinery\.pkg\.apis|apiextensions-apiserver\.pkg\.apis)\./, '');
    const schema: Schema = {};
    const description = docOf(st, f.text);
    if (description) schema.description = description;
    const members = st.members.filter(ts.isPropertySignature);
    if (!members.length) {
      if (st.name.text !== 'JSON') schema.type = 'object';
      schema[PRESERVE] = true;
      this.defs[name] = schema;
      return;
    }
    schema.type = 'object';
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    let apiVersion: string | undefined;
    let kind: string | undefined;
    for (const m of members) {
      const field = propName(m.name);
      if (!m.type) throw new Error(`${name}.${field} has no type`);
      const literal = ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? m.type.literal.text : undefined;
      if (field === 'apiVersion') apiVersion = literal;
      if (field === 'kind') kind = literal;
    }
    // A kind's metadata, spec and status are Go structs, not pointers (lists' metadata too): upstream's `default: {}`.
    const topLevel = apiVersion !== undefined && kind !== undefined;
    for (const m of members) {
      const field = propName(m.name);
      if (!m.questionToken) required.push(field);
      const struct = (topLevel && (field === 'metadata' || field === 'spec' || field === 'status')) || (STRUCT_FIELDS[key] ?? []).includes(field);
      properties[field] = this.property(f, key, field, m.type!, docOf(m, f.text), struct);
    }
    for (const [field, extra] of Object.entries(EXTRA_FIELDS[key] ?? {})) properties[field] = this.extraProperty(f, extra.type, extra.description);
    schema.properties = Object.fromEntries(Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (required.length) schema.required = required;
    if (apiVersion && kind) {
      const slash = apiVersion.indexOf('/');
      const gvk: GroupVersionKind = slash < 0 ? { group: '', kind, version: apiVersion } : { group: apiVersion.slice(0, slash), kind, version: apiVersion.slice(slash + 1) };
      schema['x-kubernetes-group-version-kind'] = [gvk];
      this.groupVersions.add(`${gvk.group}/${gvk.version}`);
    }
    this.defs[name] = schema;
  }

  private extraProperty(f: SourceFile, type: string, description: string): Schema {
    if (type.startsWith('ref:')) {
      const ref = upstreamName(type.slice(4, -2));
      return { description, type: 'array', items: { $ref: REF + ref }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['rule'], 'x-kubernetes-patch-merge-key': 'rule', 'x-kubernetes-patch-strategy': 'merge' };
    }
    if (type === 'string[]') return { description, type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' };
    return { description, type: type as Schema['type'] };
  }

  private property(f: SourceFile, key: string, field: string, node: ts.TypeNode, description: string | undefined, struct: boolean): Schema {
    const ctx = { key, field };
    let schema = this.typeSchema(f, node, ctx);
    const rule = FIELD_RULES[key]?.[field];
    const extensions: Schema = {};
    if (rule) {
      this.used.add(`${key}.${field}`);
      applyRule(extensions, rule);
    } else if (schema.type === 'array') extensions['x-kubernetes-list-type'] = 'atomic';
    let dflt = FIELD_DEFAULTS[key]?.[field];
    if (struct && schema.$ref && dflt === undefined) {
      dflt = {};
      this.used.add(`${key}.${field}`);
      this.structTargets.add(schema.$ref.slice(REF.length));
    }
    if (schema.$ref && (description || Object.keys(extensions).length || dflt !== undefined)) schema = { allOf: [schema] };
    if (dflt !== undefined) schema.default = dflt;
    return { ...(description ? { description } : {}), ...schema, ...extensions };
  }

  private typeSchema(f: SourceFile, node: ts.TypeNode, ctx: { key: string; field: string }): Schema {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return (BYTE_FIELDS[ctx.key] ?? []).includes(ctx.field) ? { type: 'string', format: 'byte' } : { type: 'string' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.NumberKeyword: {
        if ((FLOAT_FIELDS[ctx.key] ?? []).includes(ctx.field)) return { type: 'number', format: 'double' };
        const int64 = INT64_FIELDS.has(ctx.field) && !(INT32_EXCEPTIONS[ctx.key] ?? []).includes(ctx.field);
        return { type: 'integer', format: int64 ? 'int64' : 'int32' };
      }
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { type: 'string' };
    if (ts.isUnionTypeNode(node)) {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) return { $ref: REF + INT_OR_STRING };
      throw new Error(`unsupported union in ${ctx.key}.${ctx.field}`);
    }
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.typeSchema(f, node.elementType, ctx) };
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (!index || node.members.length !== 1) throw new Error(`unsupported type literal in ${ctx.key}.${ctx.field}`);
      return { type: 'object', additionalProperties: this.typeSchema(f, index.type, ctx) };
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const local = node.typeName.text;
      if (local === 'Array' && node.typeArguments?.length === 1) return { type: 'array', items: this.typeSchema(f, node.typeArguments[0], ctx) };
      const target = f.names.get(local);
      if (!target) throw new Error(`unresolved type ${local} in ${ctx.key}.${ctx.field}`);
      return { $ref: REF + target };
    }
    throw new Error(`unsupported type ${ts.SyntaxKind[node.kind]} in ${ctx.key}.${ctx.field}`);
  }

  /** Status, DeleteOptions and WatchEvent carry no apiVersion literal; upstream registers them in every group. */
  private addMetaKinds(): void {
    const gvs = [...this.groupVersions].sort().map((gv) => {
      const [group, version] = gv.split('/');
      return { group, version };
    });
    this.definition('meta.v1.Status')['x-kubernetes-group-version-kind'] = [{ group: '', kind: 'Status', version: 'v1' }];
    for (const kind of ['DeleteOptions', 'WatchEvent']) {
      this.definition(`meta.v1.${kind}`)['x-kubernetes-group-version-kind'] = gvs.map(({ group, version }) => ({ group, kind, version }));
    }
  }
}

export function generateDefinitions(): Record<string, Schema> {
  return new Generator(loadFiles()).run();
}

/** The file's exact content: one definition per line, so diffs stay readable without indenting every schema. */
export function serializeDefinitions(defs: Record<string, Schema>): string {
  const lines = Object.entries(defs).map(([name, schema]) => `${JSON.stringify(name)}:${JSON.stringify(schema)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const out = serializeDefinitions(generateDefinitions());
  fs.writeFileSync(DEFINITIONS_FILE, out);
  process.stdout.write(`wrote ${path.relative(ROOT, DEFINITIONS_FILE)} (${out.length} bytes)\n`);
}
