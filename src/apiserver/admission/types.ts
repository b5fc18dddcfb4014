/**
 * Admission contracts, as kube-apiserver's admission.Interface. For every write, the API server runs the mutating
 * plugins in their configured order (each may change `attrs.object`), then schema and semantic validation, then the
 * validating plugins, which must NOT mutate anything. A plugin rejects a request by throwing a StatusError
 * (usually StatusError.forbidden with upstream's wording, or StatusError.invalid); any other throw becomes a 500.
 * Plugins see objects after defaulting on CREATE/UPDATE; on DELETE `object` is undefined and `oldObject` is the
 * stored object. Plugins read cluster state only through `ctx.reader` and write only through `ctx.client`.
 */
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import type { ClusterReader } from '../reader';
import type { UserInfo } from '../request';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  resource: ResourceInfo;
  /** '' for the main resource; 'status', 'scale', 'binding', 'eviction', 'log', 'token', … */
  subresource: string;
  namespace: string;
  name: string;
  /** The new object (mutable for mutating plugins). Undefined on DELETE and CONNECT. */
  object?: StoredObject;
  /** The stored object on UPDATE and DELETE. */
  oldObject?: Readonly<StoredObject>;
  user: UserInfo;
  dryRun: boolean;
  /** Push texts here to send `Warning` headers to the client (kubectl prints `Warning: …`). */
  warnings: string[];
  /** Audit annotations a plugin wants to record (e.g. PodSecurity `pod-security.kubernetes.io/audit-violations`). */
  auditAnnotations: Record<string, string>;
}

/** The only write access plugins get (ResourceQuota keeps usage in quota status). */
export interface AdmissionClient {
  /**
   * Replaces the status of an object (optimistic concurrency on metadata.resourceVersion; throws Conflict).
   * `opts.onSequenced`, when given, is told the saved object as soon as the write is ordered in the store (before it
   * is durable): any write started after that lands after it, and is refused if this one is lost. The promise still
   * settles when the write is durable (or fails).
   */
  updateStatus(group: string, resource: string, obj: StoredObject, opts?: { onSequenced?(saved: StoredObject): void }): Promise<StoredObject>;
}

export interface AdmissionContext {
  reader: ClusterReader;
  client: AdmissionClient;
  now(): Date;
}

interface PluginBase {
  /** Upstream's plugin name: `LimitRanger`, `ResourceQuota`, `PodSecurity`, … */
  readonly name: string;
  /** Cheap check before admit/validate is called. */
  handles(attrs: AdmissionAttributes): boolean;
}

export interface MutatingPlugin extends PluginBase {
  admit(attrs: AdmissionAttributes, ctx: AdmissionContext): void | Promise<void>;
}

export interface ValidatingPlugin extends PluginBase {
  /** Must not mutate attrs.object. */
  validate(attrs: AdmissionAttributes, ctx: AdmissionContext): void | Promise<void>;
}
