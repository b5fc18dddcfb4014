/**
 * Creates the add-ons' objects through the API server at start, as kubeadm's addon phase does: each object is
 * created when missing and otherwise left as the user may have changed it (a scaled Deployment stays scaled),
 * except the add-ons' own ConfigMaps, whose data follows the ClusterConfig (e.g. kube-proxy's mode).
 */
import { builtinResources } from '../api/resources';
import { ApiClient, isAlreadyExists, isNotFound } from '../controllers/framework';

type Obj = Record<string, unknown>;

export async function ensureAddonObjects(admin: ApiClient, objects: readonly Obj[]): Promise<void> {
  const all = builtinResources();
  for (const obj of objects) {
    const [group, version] = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/') : ['', String(obj.apiVersion)];
    const r = all.find((x) => x.group === group && x.version === version && x.kind === obj.kind);
    if (!r) throw new Error(`add-on object of unknown kind ${String(obj.apiVersion)}/${String(obj.kind)}`);
    const md = obj.metadata as { name: string; namespace?: string };
    const ref = { group, version, resource: r.resource };
    // Read first, as kubeadm does: creating an existing Service would fail on its cluster IP before AlreadyExists.
    const cur = await admin.get(ref, md.namespace ?? '', md.name).catch((e: unknown) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    if (!cur) {
      await admin.create(ref, md.namespace ?? '', obj).catch((e: unknown) => {
        if (!isAlreadyExists(e)) throw e;
      });
    } else if (obj.kind === 'ConfigMap' && JSON.stringify(cur.data ?? {}) !== JSON.stringify(obj.data ?? {})) {
      await admin.update(ref, md.namespace ?? '', { ...cur, data: obj.data });
    }
  }
}
