/**
 * The subject index behind the RBAC authorizer: which RoleBindings / ClusterRoleBindings of one list apply to a user,
 * in list order, each with the first of its subjects that matches — exactly the result of upstream's appliesTo() run
 * over every binding, but answered from maps keyed by user name and group name instead of a scan.
 *
 * Subject matching (pkg/registry/rbac/validation.appliesToUser):
 * - User: the user's name equals subject.name.
 * - Group: subject.name is one of the user's groups (system:serviceaccounts[:<ns>] are plain groups).
 * - ServiceAccount: the user's name is `system:serviceaccount:<ns>:<name>`, where <ns> is subject.namespace or, for
 *   a RoleBinding, the binding's namespace when the subject leaves it empty; a ClusterRoleBinding subject without a
 *   namespace matches nobody.
 * - Any other kind matches nobody.
 *
 * An index is built from one list the reader returned and is reused while the reader keeps returning the same
 * objects (same identity, or same name/namespace/resourceVersion when a reader hands out copies).
 */
import type { StoredObject } from '../../api/object';
import type { UserInfo } from '../request';

export interface SubjectLike {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly apiGroup?: string;
}

export interface RoleRefLike {
  readonly kind?: string;
  readonly name?: string;
  readonly apiGroup?: string;
}

/** A RoleBinding or ClusterRoleBinding as read from the store. */
export interface BindingLike {
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly resourceVersion?: string };
  readonly roleRef?: RoleRefLike;
  readonly subjects?: readonly SubjectLike[];
}

/** One binding that applies, with the index of its first applicable subject. */
export interface AppliedBinding {
  readonly binding: BindingLike;
  readonly subjectIndex: number;
  /** Position of the binding in the list (candidates are returned in this order). */
  readonly pos: number;
}

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

export class BindingIndex {
  private readonly users = new Map<string, AppliedBinding[]>();
  private readonly groups = new Map<string, AppliedBinding[]>();

  /**
   * @param source the list the index was built from (replaced by an equivalent list on reuse)
   * @param namespace the bindings' namespace ('' for ClusterRoleBindings): the default namespace of SA subjects
   */
  constructor(
    public source: readonly Readonly<StoredObject>[],
    namespace: string,
  ) {
    source.forEach((obj, pos) => {
      const binding = obj as unknown as BindingLike;
      const subjects = binding.subjects ?? [];
      for (let i = 0; i < subjects.length; i++) {
        const s = subjects[i];
        const name = s.name ?? '';
        switch (s.kind) {
          case 'User':
            add(this.users, name, binding, i, pos);
            break;
          case 'Group':
            add(this.groups, name, binding, i, pos);
            break;
          case 'ServiceAccount': {
            const ns = s.namespace || namespace;
            if (ns) add(this.users, serviceAccountUsername(ns, name), binding, i, pos);
            break;
          }
        }
      }
    });
  }

  /** The bindings that apply to `user`, in list order, each with its first applicable subject. */
  applicable(user: UserInfo): AppliedBinding[] {
    const out: AppliedBinding[] = [];
    const byUser = this.users.get(user.name);
    if (byUser) for (const c of byUser) out.push(c);
    for (const g of user.groups) {
      const byGroup = this.groups.get(g);
      if (byGroup) for (const c of byGroup) out.push(c);
    }
    if (out.length < 2) return out;
    out.sort((a, b) => a.pos - b.pos || a.subjectIndex - b.subjectIndex);
    let n = 0;
    for (const c of out) if (n === 0 || out[n - 1].pos !== c.pos) out[n++] = c;
    out.length = n;
    return out;
  }
}

/** Records only the first subject of a binding under a key (a later subject with the same key never wins). */
function add(map: Map<string, AppliedBinding[]>, key: string, binding: BindingLike, subjectIndex: number, pos: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  if (list.length && list[list.length - 1].pos === pos) return;
  list.push({ binding, subjectIndex, pos });
}

function sameObject(a: Readonly<StoredObject>, b: Readonly<StoredObject>): boolean {
  if (a === b) return true;
  const ma = a.metadata;
  const mb = b.metadata;
  return !!ma.resourceVersion && ma.resourceVersion === mb.resourceVersion && ma.name === mb.name && ma.namespace === mb.namespace;
}

/** True when both lists hold the same objects in the same order. */
export function sameObjects(a: readonly Readonly<StoredObject>[], b: readonly Readonly<StoredObject>[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameObject(a[i], b[i])) return false;
  return true;
}

const EMPTY = new BindingIndex([], '');

/** Keeps one index for the cluster's ClusterRoleBindings and one per namespace for RoleBindings. */
export class BindingIndexCache {
  private cluster = EMPTY;
  private readonly namespaced = new Map<string, BindingIndex>();

  forCluster(list: readonly Readonly<StoredObject>[]): BindingIndex {
    this.cluster = reuse(this.cluster, list, '');
    return this.cluster;
  }

  forNamespace(namespace: string, list: readonly Readonly<StoredObject>[]): BindingIndex {
    if (list.length === 0) {
      this.namespaced.delete(namespace);
      return EMPTY;
    }
    const next = reuse(this.namespaced.get(namespace) ?? EMPTY, list, namespace);
    this.namespaced.set(namespace, next);
    return next;
  }
}

function reuse(prev: BindingIndex, list: readonly Readonly<StoredObject>[], namespace: string): BindingIndex {
  if (list.length === 0) return EMPTY;
  if (prev !== EMPTY && sameObjects(prev.source, list)) {
    prev.source = list;
    return prev;
  }
  return new BindingIndex(list, namespace);
}
