/**
 * ControllerRevisions of one StatefulSet through the API (upstream history.realHistory as the StatefulSet
 * controller uses it): list (from the lister: the set's own and orphans its selector matches), adopt an orphan,
 * create (bumping the collision count while the hashed name is taken by other data), renumber (a rollback to an
 * older template), delete. Writes go through the controller's client; reads through the revision lister.
 */
import { labelSelectorAsSelector } from '../../api/selectors/label-selector-object';
import type { Lister } from '../../client/informers';
import { isAlreadyExists, isConflict, type ApiClient, type Obj } from '../framework/api-client';
import { controllerRefOf, newControllerRef } from '../framework/controller-ref';
import { R } from '../framework/resources';
import { newRevision } from '../history/controller-history';
import { equalRevisionData } from './revision-data';
import { STATEFULSET_API_VERSION, STATEFULSET_KIND, type Revision, type StatefulSet } from './types';

const MAX_CONFLICT_RETRIES = 5;

export class RevisionHistory {
  constructor(
    private readonly client: ApiClient,
    private readonly lister: Lister,
  ) {}

  /** Revisions in the set's namespace matched by its selector and controlled by it or by nothing. */
  list(set: StatefulSet): Revision[] {
    const selector = labelSelectorAsSelector(set.spec.selector);
    return this.lister
      .list(String(set.metadata.namespace ?? ''), selector)
      .filter((r) => {
        const ref = controllerRefOf(r);
        return !ref || ref.uid === set.metadata.uid;
      }) as unknown as Revision[];
  }

  async adopt(set: StatefulSet, rev: Revision): Promise<Revision> {
    const ref = newControllerRef(set, STATEFULSET_API_VERSION, STATEFULSET_KIND);
    const patch = { metadata: { ownerReferences: [ref], uid: rev.metadata.uid } };
    return (await this.client.patch(R.controllerrevisions, String(rev.metadata.namespace ?? ''), String(rev.metadata.name), patch, 'strategic')) as Revision;
  }

  /** Creates the revision holding `data` (the set's template labels, its annotations); returns it with the
   * collision count that named it. A name taken by equal data returns the existing revision. */
  async create(set: StatefulSet, data: unknown, revision: number, collisionCount: number): Promise<{ revision: Revision; collisionCount: number }> {
    const ns = String(set.metadata.namespace ?? '');
    const labels = set.spec.template?.metadata?.labels ?? {};
    for (let cc = collisionCount; ; cc++) {
      const rev = newRevision(set, STATEFULSET_API_VERSION, STATEFULSET_KIND, labels, data, revision, cc);
      const annotations = set.metadata.annotations;
      if (annotations && Object.keys(annotations).length > 0) (rev.metadata as Record<string, unknown>).annotations = { ...annotations };
      try {
        return { revision: (await this.client.create(R.controllerrevisions, ns, rev)) as Revision, collisionCount: cc };
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const existing = (await this.client.get(R.controllerrevisions, ns, String(rev.metadata?.name))) as Revision;
        if (equalRevisionData(existing.data, data)) return { revision: existing, collisionCount: cc };
      }
    }
  }

  /** Gives the revision a new number (retrying on conflicts with the lister's copy). */
  async renumber(rev: Revision, revision: number): Promise<Revision> {
    let clone: Obj = structuredClone(rev) as Obj;
    for (let attempt = 0; ; attempt++) {
      if (clone.revision === revision) return clone as Revision;
      clone.revision = revision;
      try {
        return (await this.client.update(R.controllerrevisions, String(rev.metadata.namespace ?? ''), clone)) as Revision;
      } catch (e) {
        if (!isConflict(e) || attempt >= MAX_CONFLICT_RETRIES) throw e;
        const fresh = this.lister.get(String(rev.metadata.namespace ?? ''), String(rev.metadata.name));
        if (fresh) clone = structuredClone(fresh) as Obj;
      }
    }
  }

  async delete(rev: Revision): Promise<void> {
    await this.client.delete(R.controllerrevisions, String(rev.metadata.namespace ?? ''), String(rev.metadata.name));
  }
}
