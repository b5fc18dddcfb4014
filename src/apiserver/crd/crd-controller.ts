/**
 * Serves custom resources from CustomResourceDefinitions, as the apiextensions-apiserver inside kube-apiserver
 * does: for each served version of a CRD it registers the resource (discovery, OpenAPI, CRUD, watch, status and
 * scale subresources, schema validation, printer columns), sets the CRD's NamesAccepted/Established conditions,
 * and on CRD deletion stops serving the resource and deletes its objects.
 */
import type { Logger } from '../../base/logger';
import type { Schema } from '../../api/openapi/schema-types';
import type { StoredObject } from '../../api/object';
import { ALL_VERBS, type ResourceInfo, type SubresourceInfo } from '../../api/resources';
import type { ApiServer } from '../server';
import { guaranteedUpdate } from '../registry/update';
import { prepareWatch } from '../registry/watch';
import { crdStatus } from './crd-status';
import type { CrdSpec, CrdVersion } from './crd-types';

interface Served {
  resources: ResourceInfo[];
  schemas: Map<string, Schema>;
  generation: number;
}

export class CrdController {
  private readonly served = new Map<string, Served>();
  private queue: Promise<void> = Promise.resolve();
  private stop?: () => void;
  private closed = false;

  private constructor(
    private readonly api: ApiServer,
    private readonly logger: Logger,
  ) {}

  static async start(api: ApiServer, logger: Logger): Promise<CrdController> {
    const c = new CrdController(api, logger);
    await c.watch();
    await c.queue;
    return c;
  }

  /** Follows CRDs from the watch cache; if the watch ends (the cache was rebuilt) it starts over from the current state. */
  private async watch(): Promise<void> {
    const crdR = this.api.resources.get('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    const start = await prepareWatch(this.api.core, crdR, { matches: () => true }, (o) => o, {
      allowWatchBookmarks: false,
      defaultTimeoutMs: 2 ** 31 - 1,
      bookmarkMs: 0,
    });
    this.stop = start({
      write: (ev) => {
        const obj = ev.object as StoredObject;
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.enqueue(() => this.sync(obj));
        else if (ev.type === 'DELETED') this.enqueue(() => this.remove(obj));
        return true;
      },
      end: () => {
        if (this.closed) return;
        const retry = setTimeout(() => void this.watch().catch((e: Error) => this.logger.error(`CRD watch failed: ${e.message}`)), 100);
        retry.unref?.();
      },
    });
  }

  /** The openAPIV3Schema of a served custom resource version. */
  schemaOf(r: ResourceInfo): Schema | undefined {
    if (!r.crd) return undefined;
    return this.served.get(r.crd)?.schemas.get(r.version);
  }

  /** Resolves when every CRD change seen so far is applied (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  close(): void {
    this.closed = true;
    this.stop?.();
  }

  private enqueue(fn: () => Promise<void>): void {
    this.queue = this.queue.then(fn).catch((e: Error) => this.logger.error(`CRD sync failed: ${e.stack ?? e.message}`));
  }

  private async sync(crd: StoredObject): Promise<void> {
    const name = crd.metadata.name ?? '';
    const spec = crd.spec as CrdSpec;
    if (crd.metadata.deletionTimestamp) return this.remove(crd);
    const prev = this.served.get(name);
    const next: Served = { resources: [], schemas: new Map(), generation: crd.metadata.generation ?? 0 };
    const storage = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]?.name;
    for (const v of spec.versions.filter((x) => x.served)) {
      const r = resourceOf(name, spec, v);
      next.resources.push(r);
      if (v.schema?.openAPIV3Schema) next.schemas.set(v.name, v.schema.openAPIV3Schema as Schema);
      await this.api.router.addPrefix(r.storagePrefix);
      this.api.setCrdServing(r.group, r.version, r.resource, {
        storageVersion: storage ?? v.name,
        columns: (v.additionalPrinterColumns ?? []).map((c) => ({ name: c.name, type: c.type, format: c.format, description: c.description, priority: c.priority, jsonPath: c.jsonPath })),
        ...(v.subresources?.scale ? { scale: v.subresources.scale } : {}),
      });
    }
    this.served.set(name, next);
    for (const r of prev?.resources ?? []) if (!next.resources.some((x) => x.version === r.version && x.resource === r.resource)) this.unserve(r);
    for (const r of next.resources) this.api.resources.add(r);
    this.refreshOpenApi(spec.group);
    await this.updateStatus(crd);
  }

  private async remove(crd: StoredObject): Promise<void> {
    const name = crd.metadata.name ?? '';
    const prev = this.served.get(name);
    if (!prev) return;
    this.served.delete(name);
    for (const r of prev.resources) this.unserve(r);
    const spec = crd.spec as CrdSpec;
    this.refreshOpenApi(spec.group);
    const prefix = `/registry/${spec.group}/${spec.names.plural}/`;
    if (![...this.served.values()].some((s) => s.resources.some((r) => r.storagePrefix + '/' === prefix))) {
      await this.api.core.deps.store.delete({ key: prefix, prefix: true });
      this.api.router.removePrefix(prefix.slice(0, -1));
    }
  }

  private unserve(r: ResourceInfo): void {
    this.api.resources.remove(r.group, r.version, r.resource);
    this.api.setCrdServing(r.group, r.version, r.resource, undefined);
  }

  private refreshOpenApi(group: string): void {
    const byVersion = new Map<string, Record<string, Schema>>();
    for (const s of this.served.values()) {
      for (const r of s.resources) {
        if (r.group !== group) continue;
        const schema = s.schemas.get(r.version);
        const m = byVersion.get(r.version) ?? {};
        m[r.kind] = schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
        byVersion.set(r.version, m);
      }
    }
    for (const k of [...this.api.crdSchemas.keys()]) if (k.startsWith(`${group}/`)) this.api.crdSchemas.delete(k);
    for (const [v, m] of byVersion) this.api.crdSchemas.set(`${group}/${v}`, m);
  }

  private async updateStatus(crd: StoredObject): Promise<void> {
    const r = this.api.resources.get('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    const now = this.api.core.now();
    const want = crdStatus(crd, now);
    if (JSON.stringify(want) === JSON.stringify(crd.status)) return;
    try {
      await guaranteedUpdate(
        this.api.core,
        r,
        '',
        crd.metadata.name ?? '',
        'status',
        { dryRun: false, fieldManager: 'kube-apiserver', fieldValidation: 'Ignore', warnings: [] },
        (cur) => {
          const next = this.api.core.copy(cur as StoredObject);
          next.status = crdStatus(cur as StoredObject, now);
          return { next, pinned: false };
        },
        false,
      );
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}

function resourceOf(crdName: string, spec: CrdSpec, v: CrdVersion): ResourceInfo {
  const n = spec.names;
  const self = { group: spec.group, version: v.name, kind: n.kind };
  const subresources: SubresourceInfo[] = [];
  if (v.subresources?.status) subresources.push({ name: 'status', kind: self, verbs: ['get', 'patch', 'update'] });
  if (v.subresources?.scale) subresources.push({ name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  return {
    group: spec.group,
    version: v.name,
    resource: n.plural,
    singular: n.singular ?? n.kind.toLowerCase(),
    kind: n.kind,
    listKind: n.listKind ?? `${n.kind}List`,
    namespaced: spec.scope === 'Namespaced',
    verbs: ALL_VERBS,
    shortNames: n.shortNames ?? [],
    categories: n.categories ?? [],
    subresources,
    storagePrefix: `/registry/${spec.group}/${n.plural}`,
    crd: crdName,
  };
}
