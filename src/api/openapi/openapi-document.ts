/**
 * The OpenAPI v3 documents kube-apiserver serves: `openApiGroupVersion` (GET /openapi/v3/apis/<group>/<version>,
 * /openapi/v3/api/v1) and `openApiRoot` (GET /openapi/v3, the index whose `serverRelativeURL`s carry each document's
 * hash, an upper-case hex SHA-512 of its JSON, so clients refetch exactly when a document changes).
 *
 * A group-version document has `paths` for every resource of the group-version (openapi-paths.ts) and
 * `components.schemas` with every definition reachable from them. Custom resources (ResourceInfo.crd, or kinds with
 * no built-in schema) get their schemas from `crdSchemas` (kind → openAPIV3Schema) and no strategic-merge PATCH.
 *
 * Documents are cached per registry and group-version, keyed by the resources' description and the custom schemas,
 * so they are rebuilt only when those change. Returned documents are shared and frozen: never mutate them.
 */
import { createHash } from 'node:crypto';
import type { GroupVersionKind } from '../object';
import type { ResourceInfo, ResourceRegistry } from '../resources';
import { crdDefinitions, crdDefinitionName, type CrdSchemas } from './crd-definitions';
import { builtinDefinitionName, definitions, refName } from './definitions';
import { resourcePaths } from './openapi-paths';
import { schemaResolver } from './resolver';
import type { Schema } from './schema-types';

/** Custom resource schemas of a group-version, if it has any. */
export type CrdSchemaSource = (group: string, version: string) => CrdSchemas | undefined;

export const KUBERNETES_VERSION = 'v1.32.0';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const ALWAYS = [`${META}DeleteOptions`, `${META}Status`, `${META}WatchEvent`, `${META}Patch`];

interface Entry {
  key: string;
  doc: Record<string, unknown>;
  json?: string;
  hash?: string;
}

const caches = new WeakMap<ResourceRegistry, Map<string, Entry>>();
const refsCache = new Map<Schema, string[]>();

/** The definition names a schema refers to (directly), cached for built-in definitions. */
function directRefs(schema: Schema): string[] {
  const cached = refsCache.get(schema);
  if (cached) return cached;
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string') {
          const name = refName(child);
          if (name) out.add(name);
        } else if (typeof child === 'object') visit(child);
      }
    }
  };
  visit(schema);
  const list = [...out];
  if (Object.isFrozen(schema)) refsCache.set(schema, list);
  return list;
}

function closure(roots: Iterable<string>, extra: Record<string, Schema>): Record<string, Schema> {
  const defs = definitions();
  const found = new Map<string, Schema>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (found.has(name)) continue;
    const schema = extra[name] ?? defs[name];
    if (!schema) continue;
    found.set(name, schema);
    queue.push(...directRefs(schema));
  }
  return Object.fromEntries([...found.keys()].sort().map((n) => [n, found.get(n)!]));
}

function isCustom(r: ResourceInfo): boolean {
  return !!r.crd || !schemaResolver().forKind({ group: r.group, version: r.version, kind: r.kind });
}

function buildDocument(resources: ResourceInfo[], group: string, version: string, crd: CrdSchemas | undefined): Record<string, unknown> {
  const resolver = schemaResolver();
  const custom = resources.filter(isCustom);
  const plurals = Object.fromEntries(custom.map((r) => [r.kind, r.resource]));
  const kinds = Object.fromEntries(custom.map((r) => [r.kind, crd?.[r.kind]]));
  const extra = crdDefinitions(group, version, kinds, plurals);
  const roots = new Set(ALWAYS);
  const builtinName = (gvk: GroupVersionKind): string | undefined => {
    const s = resolver.forKind(gvk);
    return s && builtinDefinitionName(s);
  };
  const paths: Record<string, unknown> = {};
  for (const r of [...resources].sort((a, b) => a.resource.localeCompare(b.resource))) {
    const customKind = custom.includes(r);
    const gvk = { group, version, kind: r.kind };
    const kind = customKind ? crdDefinitionName(group, version, r.kind) : builtinName(gvk);
    if (!kind) continue;
    const list = customKind ? crdDefinitionName(group, version, `${r.kind}List`) : builtinName({ group, version, kind: r.listKind });
    roots.add(kind);
    if (list) roots.add(list);
    const sub = (k: GroupVersionKind): string | undefined => {
      const name = k.group === group && k.version === version && k.kind === r.kind ? kind : builtinName(k);
      if (name) roots.add(name);
      return name;
    };
    Object.assign(paths, resourcePaths(r, { kind, list, sub }, !customKind));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths: Object.fromEntries(Object.keys(paths).sort().map((p) => [p, paths[p]])),
    components: {
      schemas: closure(roots, extra),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

/** Freezes the document; shared (already frozen) built-in definitions are not walked again. */
function freeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const child of Object.values(v)) freeze(child);
}

function entry(registry: ResourceRegistry, group: string, version: string, crd: CrdSchemas | undefined): Entry | undefined {
  const resources = registry.inGroupVersion(group, version);
  if (!resources.length) return undefined;
  let cache = caches.get(registry);
  if (!cache) caches.set(registry, (cache = new Map()));
  const key = JSON.stringify([resources, crd ?? null]);
  const gv = `${group}/${version}`;
  const hit = cache.get(gv);
  if (hit && hit.key === key) return hit;
  const doc = buildDocument(resources, group, version, crd);
  freeze(doc);
  const e: Entry = { key, doc };
  cache.set(gv, e);
  return e;
}

/** The group-version's document, or undefined when the registry serves nothing there. */
export function openApiGroupVersion(registry: ResourceRegistry, group: string, version: string, crdSchemas?: CrdSchemas): object | undefined {
  return entry(registry, group, version, crdSchemas)?.doc;
}

/** The document serialized once, with its hash (what GET /openapi/v3/<gv> sends and the index advertises). */
export function openApiGroupVersionJson(registry: ResourceRegistry, group: string, version: string, crdSchemas?: CrdSchemas): { json: string; hash: string } | undefined {
  const e = entry(registry, group, version, crdSchemas);
  if (!e) return undefined;
  e.json ??= JSON.stringify(e.doc);
  e.hash ??= createHash('sha512').update(e.json).digest('hex').toUpperCase();
  return { json: e.json, hash: e.hash };
}

/** `api/v1`, `apis/apps/v1`: a group-version's key in the index (and its path under /openapi/v3/). */
export function openApiPathKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** GET /openapi/v3: `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"},…}}`. */
export function openApiRoot(registry: ResourceRegistry, crdSchemas?: CrdSchemaSource): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const gvs = registry.groupVersions().map(({ group, version }) => ({ group, version, key: openApiPathKey(group, version) }));
  for (const { group, version, key } of gvs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const doc = openApiGroupVersionJson(registry, group, version, crdSchemas?.(group, version));
    if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
  }
  return { paths };
}
