/**
 * The API server: the watch cache over the store, the generic registry, and the handler chain
 * (recover → requestInfo → authentication → non-resource or resource handlers). `handle` is the in-process
 * transport; https.ts serves the same `handle` over HTTPS. Nothing else in KubeLab touches the store.
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import { ResourceRegistry } from '../api/resources';
import { isStatusError, StatusError } from '../api/status';
import type { Store } from '../storage/store';
import type { CrdSchemas } from '../api/openapi';
import type { Authenticator } from './authn/types';
import { cacheReader } from './cache-reader';
import { authenticationFilter } from './filters/authenticate';
import type { ClusterReader } from './reader';
import type { AuthzAttributes, Authorizer, RuleResolver } from './authz/types';
import { rbacEscalationGuard, RBAC_GROUP } from './registry/rbac-escalation';
import { getObject } from './registry/list';
import { authenticateRequest } from './authn/union';
import { authorizationFilter } from './filters/authorize';
import { impersonationFilter } from './filters/impersonate';
import type { SecurityServices } from './handlers/security';
import type { AdmissionClient } from './admission/types';
import { registryAdmission, type AdmissionPlugins } from './registry/admission';
import { recoverFilter } from './filters/recover';
import { requestInfoFilter } from './filters/request-info';
import type { ComponentHealth, CrdServing, HandlerContext, NodeConnector } from './handlers/context';
import { handleNonResource, type HealthCheck } from './handlers/nonresource';
import { handleResource } from './handlers/resource';
import { RegistryCore } from './registry/core';
import type { ServiceRanges } from './registry/service-alloc';
import { updateObject } from './registry/update';
import type { StoredObject } from '../api/object';
import type { ObjectHooks } from './registry/hooks';
import { chain, type ApiRequest, type ApiResponse, type Handler } from './request';
import { CacheRouter } from './watch/cache-router';
import { bootstrapKubernetesService, bootstrapNamespaces } from './bootstrap';
import { bootstrapPolicy } from './bootstrap-policy';

/** Upstream's cacher sends each watch that allows them a bookmark about every minute (defaultBookmarkFrequency). */
export const DEFAULT_BOOKMARK_MS = 60_000;

export interface ApiServerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  hooks: ObjectHooks;
  /** Builds the request pipeline (authentication, …) once the watch cache it reads from exists. */
  pipeline: (reader: ClusterReader) => Pipeline;
  /** host:port clients reach us at (discovery's serverAddressByClientCIDRs). */
  serverAddress: string;
  resources?: ResourceRegistry;
  historyEvents?: number;
  /** How often a watch that allows bookmarks gets one (default a minute, upstream's defaultBookmarkFrequency). */
  bookmarkMs?: number;
  /** Watch timeout when the client gives none (upstream: 30–60 min at random). */
  watchTimeoutMs?: () => number;
  componentStatuses?: () => ComponentHealth[];
  nodes?: NodeConnector;
  /** Service cluster IP range (default 10.96.0.0/12) and node port range (30000–32767). */
  serviceRanges?: ServiceRanges;
  /** How long Events live after their last write (--event-ttl; default 1 h). */
  eventTtlSeconds?: number;
}

/** The stages every request goes through: authentication, impersonation, authorization, then (in the registry)
 * mutating admission, validation and validating admission. */
export interface Pipeline {
  /** Asked per request, so reloaded token files and rotated keys apply at once. */
  authenticators(): readonly Authenticator[];
  /** Decides each request (Node, then RBAC). */
  authorizer: Authorizer;
  /** Lists a user's rules (SelfSubjectRulesReview). */
  rules: RuleResolver;
  admission: AdmissionPlugins;
  /** Signs ServiceAccount tokens (TokenRequest). */
  issueToken: SecurityServices['issueToken'];
  /** Audiences tokens are valid for when a TokenReview names none. */
  apiAudiences: string[];
}

export class ApiServer {
  readonly resources: ResourceRegistry;
  /** Current objects from the watch cache, for the pipeline and in-process helpers. */
  readonly reader: ClusterReader;
  readonly router: CacheRouter;
  readonly core: RegistryCore;
  private readonly handler: Handler;
  private ready = false;
  private closed = false;
  private crd = new Map<string, CrdServing>();
  crdSchemas = new Map<string, CrdSchemas>();

  private constructor(private readonly opts: ApiServerOptions) {
    this.resources = opts.resources ?? new ResourceRegistry();
    this.router = new CacheRouter(opts.store, { logger: opts.logger.child('watch-cache'), historyEvents: opts.historyEvents });
    this.reader = cacheReader(this.resources, this.router);
    const pipeline = opts.pipeline(this.reader);
    const admissionCtx = {
      reader: this.reader,
      now: () => new Date(opts.clock.now()),
      client: { updateStatus: (group, resource, obj, o) => this.updateStatus(group, resource, obj, o?.onSequenced) } satisfies AdmissionClient,
    };
    this.core = new RegistryCore({
      store: opts.store,
      router: this.router,
      resources: this.resources,
      clock: opts.clock,
      logger: opts.logger,
      hooks: opts.hooks,
      serviceRanges: opts.serviceRanges,
      eventTtlSeconds: opts.eventTtlSeconds,
      admission: registryAdmission(() => pipeline.admission, admissionCtx),
      writeGuard: rbacEscalationGuard({
        authorize: (a) => pipeline.authorizer.authorize(a),
        rulesFor: (u, ns) => pipeline.rules.rulesFor(u, ns),
        getRole: (resource, ns, name) => getObject(this.core, this.resources.get(RBAC_GROUP, 'v1', resource)!, ns, name).catch((e: unknown) => {
            if (isStatusError(e) && e.code === 404) return undefined;
            throw e;
          }),
      }),
    });
    const authorize = (a: AuthzAttributes) => pipeline.authorizer.authorize(a);
    const security: SecurityServices = {
      authorize,
      rulesFor: (user, ns) => pipeline.rules.rulesFor(user, ns),
      issueToken: (o) => pipeline.issueToken(o),
      async authenticateToken(token, audiences) {
        const r = await authenticateRequest(pipeline.authenticators(), { headers: { authorization: `Bearer ${token}` }, path: '' });
        if ('error' in r) return { error: r.error };
        return { user: r.user, audiences: audiences?.length ? audiences : pipeline.apiAudiences };
      },
    };
    const hctx: HandlerContext = {
      core: this.core,
      bookmarkMs: opts.bookmarkMs ?? DEFAULT_BOOKMARK_MS,
      defaultWatchTimeoutMs: opts.watchTimeoutMs ?? (() => (1800 + Math.floor(Math.random() * 1800)) * 1000),
      crdServing: (r) => (r.crd ? this.crd.get(`${r.group}/${r.version}/${r.resource}`) : undefined),
      nodes: opts.nodes ?? unreachableNodes,
      componentStatuses: opts.componentStatuses ?? (() => []),
      security,
    };
    const health = {
      livez: [] as HealthCheck[],
      readyz: [{ name: 'watch-cache', check: () => (this.ready ? undefined : 'the watch cache is loading') }],
    };
    const dispatch: Handler = async (req) => {
      if (req.info?.isResourceRequest) {
        if (!this.ready) throw StatusError.serviceUnavailable(this.closed ? 'the API server is shutting down' : 'the API server is starting');
        return handleResource(hctx, req);
      }
      return handleNonResource(
        { resources: this.resources, serverAddress: opts.serverAddress, health, crdSchemas: (g, v) => this.crdSchemas.get(`${g}/${v}`) },
        req,
      );
    };
    this.handler = chain(
      [
        recoverFilter(opts.logger),
        requestInfoFilter,
        authenticationFilter(() => pipeline.authenticators(), { logger: opts.logger.child('authentication') }),
        impersonationFilter(authorize),
        authorizationFilter(authorize),
      ],
      dispatch,
    );
  }

  static async start(opts: ApiServerOptions): Promise<ApiServer> {
    const s = new ApiServer(opts);
    const prefixes = [...new Set(s.resources.all().filter((r) => !r.virtual).map((r) => r.storagePrefix))];
    await s.router.start(prefixes);
    s.ready = true;
    await bootstrapNamespaces(s.core, s.resources);
    await bootstrapPolicy(s.core, s.resources);
    return s;
  }

  /** Admission's only write: a status update through the registry, as the API server itself (quota usage). */
  private async updateStatus(group: string, resource: string, obj: StoredObject, onSequenced?: (saved: StoredObject) => void): Promise<StoredObject> {
    const r = this.resources.all().find((x) => x.group === group && x.resource === resource && !x.virtual);
    if (!r) throw StatusError.pathNotFound();
    const res = await updateObject(this.core, r, obj.metadata.namespace ?? '', obj.metadata.name ?? '', obj, 'status', {
      dryRun: false,
      fieldManager: 'kube-apiserver',
      fieldValidation: 'Ignore',
      warnings: [],
      onSequenced,
    });
    return res.obj;
  }

  /** Creates (or points at `port`) the `kubernetes` Service and Endpoints once the serving port is known. */
  bootstrapServices(port: number): Promise<void> {
    return bootstrapKubernetesService(this.core, this.resources, port);
  }

  /** The in-process transport: same chain, same semantics as HTTPS. */
  handle(req: ApiRequest): Promise<ApiResponse> {
    return this.handler(req);
  }

  setCrdServing(group: string, version: string, resource: string, serving: CrdServing | undefined): void {
    const k = `${group}/${version}/${resource}`;
    if (serving) this.crd.set(k, serving);
    else this.crd.delete(k);
  }

  close(): void {
    this.ready = false;
    this.closed = true;
    this.router.close();
  }
}

const unreachableNodes: NodeConnector = {
  async logs(pod) {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const m = pod.metadata;
    throw StatusError.internal(
      new Error(`Get "https://${node}:10250/containerLogs/${m.namespace}/${m.name}": dial tcp: lookup ${node}: no kubelet is running for node "${node}"`),
    );
  },
};
