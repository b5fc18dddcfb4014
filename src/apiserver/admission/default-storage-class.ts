/**
 * DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a mutating plugin for
 * PersistentVolumeClaim CREATE. A claim that asks for no class — no `spec.storageClassName` at all (an explicit ""
 * asks for "no class") and no `volume.beta.kubernetes.io/storage-class` annotation — gets the default
 * StorageClass's name: a class annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the beta
 * annotation); when several are, the newest by creationTimestamp, ties broken by the smaller name (upstream
 * ≥ 1.26). No default class: the claim is left alone.
 */
import { ensure, isResource, str, sub, type Obj } from './plugin-util';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin } from './types';

export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
const BETA_CLAIM_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** storageutil.IsDefaultAnnotation. */
export function isDefaultStorageClass(sc: Readonly<Obj>): boolean {
  const annotations = sub(sub(sc, 'metadata'), 'annotations');
  return annotations?.[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || annotations?.[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** GetDefaultClass: the default StorageClass's name, or undefined. */
export function defaultStorageClassName(classes: readonly Readonly<Obj>[]): string | undefined {
  const created = (sc: Readonly<Obj>): number => {
    const t = Date.parse(str(sub(sc, 'metadata'), 'creationTimestamp'));
    return Number.isNaN(t) ? 0 : t;
  };
  const name = (sc: Readonly<Obj>): string => str(sub(sc, 'metadata'), 'name');
  const defaults = classes.filter(isDefaultStorageClass);
  defaults.sort((a, b) => created(b) - created(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return defaults.length ? name(defaults[0]) : undefined;
}

export function createDefaultStorageClassPlugin(): MutatingPlugin {
  return {
    name: 'DefaultStorageClass',
    handles: (attrs: AdmissionAttributes) => attrs.operation === 'CREATE' && isResource(attrs, '', 'persistentvolumeclaims'),
    admit(attrs: AdmissionAttributes, ctx: AdmissionContext): void {
      const pvc = attrs.object;
      if (!pvc) return;
      if (pvc.metadata.annotations && BETA_CLAIM_CLASS_ANNOTATION in pvc.metadata.annotations) return;
      const spec = ensure(pvc, 'spec');
      if (typeof spec.storageClassName === 'string') return;
      const def = defaultStorageClassName(ctx.reader.list('storage.k8s.io', 'storageclasses'));
      if (def !== undefined) spec.storageClassName = def;
    },
  };
}
