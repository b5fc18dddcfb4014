/**
 * The NamespaceLifecycle admission plugin (apiserver's plugin/namespace/lifecycle). It never mutates, so it can sit
 * in either phase; upstream runs it first among the mutating plugins (so a missing namespace is reported before,
 * e.g., ServiceAccount's lookup fails), and so does KubeLab (a mutating plugin only). Rules:
 * - deleting an immortal namespace (default, kube-system, kube-public) → 403 `namespaces "default" is forbidden: this
 *   namespace may not be deleted`;
 * - any other operation on namespaces, cluster-scoped objects, deletes, and localsubjectaccessreviews → allowed;
 * - creating or updating a namespaced object in a namespace that does not exist → 404 `namespaces "x" not found`
 *   (a create waits briefly first, as the cache may not have seen a just-created namespace);
 * - creating in a Terminating namespace → 403 `unable to create new content in namespace x because it is being
 *   terminated`, with the cause NamespaceTerminating on metadata.namespace.
 * Identical wording to the registry's own namespace check (registry/core.ts checkNamespace).
 */
import { StatusError } from '../../api/status';
import type { StoredObject } from '../../api/object';
import { admissionForbidden } from './forbidden';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin } from './types';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export interface NamespaceLifecycleOptions {
  /** Namespaces that may not be deleted (upstream: default, kube-system, kube-public). */
  immortalNamespaces?: string[];
  /** How long a create waits for a missing namespace to show up in the cache (upstream: 50 ms). */
  missingNamespaceWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const NAMESPACES = { group: '', resource: 'namespaces' };

function isTerminating(ns: Readonly<StoredObject>): boolean {
  return (ns.status as { phase?: unknown } | undefined)?.phase === 'Terminating' || !!ns.metadata.deletionTimestamp;
}

export function createNamespaceLifecyclePlugin(opts: NamespaceLifecycleOptions = {}): MutatingPlugin {
  const immortal = new Set(opts.immortalNamespaces ?? IMMORTAL_NAMESPACES);
  const waitMs = opts.missingNamespaceWaitMs ?? 50;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function check(attrs: AdmissionAttributes, ctx: AdmissionContext): Promise<void> {
    const { group, resource } = attrs.resource;
    const isNamespace = group === '' && resource === 'namespaces';
    if (attrs.operation === 'DELETE' && isNamespace && immortal.has(attrs.name)) {
      throw StatusError.forbidden(NAMESPACES, attrs.name, 'this namespace may not be deleted');
    }
    if (isNamespace || !attrs.namespace || !attrs.resource.namespaced) return;
    if (attrs.operation === 'DELETE') return;
    if (group === 'authorization.k8s.io' && resource === 'localsubjectaccessreviews') return;
    let ns = ctx.reader.get('', 'namespaces', '', attrs.namespace);
    if (!ns && attrs.operation === 'CREATE') {
      await sleep(waitMs);
      ns = ctx.reader.get('', 'namespaces', '', attrs.namespace);
    }
    if (!ns) throw StatusError.notFound(NAMESPACES, attrs.namespace);
    if (attrs.operation === 'CREATE' && isTerminating(ns)) {
      const err = admissionForbidden(attrs, `unable to create new content in namespace ${attrs.namespace} because it is being terminated`);
      err.status.details = {
        ...err.status.details,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' }],
      };
      throw err;
    }
  }

  return {
    name: 'NamespaceLifecycle',
    handles: (attrs) => attrs.operation === 'CREATE' || attrs.operation === 'UPDATE' || attrs.operation === 'DELETE',
    admit: check,
  };
}
