/**
 * DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass): a mutating plugin for Ingress CREATE
 * (networking.k8s.io ingresses, no subresource). An Ingress that names no class — no `spec.ingressClassName` (null
 * counts as absent) and no `kubernetes.io/ingress.class` annotation, whatever its value — gets the default
 * IngressClass's name: a class annotated `ingressclass.kubernetes.io/is-default-class: "true"` (exactly "true").
 * When several are, the newest by creationTimestamp wins, ties broken by the smaller name (upstream ≥ 1.25, which
 * replaced the former `%d default IngressClasses were found, only 1 allowed` rejection). No default class: the
 * Ingress is left alone. Updates are never touched.
 */
import { ensure, isResource, str, sub, type Obj } from './plugin-util';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin } from './types';

/** networkingv1.AnnotationIsDefaultIngressClass. */
export const IS_DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** networkingv1beta1.AnnotationIngressClass (the legacy way to name a class). */
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function isDefaultIngressClass(ic: Readonly<Obj>): boolean {
  return sub(sub(ic, 'metadata'), 'annotations')?.[IS_DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true';
}

/** getDefaultClass: the default IngressClass's name, or undefined. */
export function defaultIngressClassName(classes: readonly Readonly<Obj>[]): string | undefined {
  const created = (ic: Readonly<Obj>): number => {
    const t = Date.parse(str(sub(ic, 'metadata'), 'creationTimestamp'));
    return Number.isNaN(t) ? 0 : t;
  };
  const name = (ic: Readonly<Obj>): string => str(sub(ic, 'metadata'), 'name');
  const defaults = classes.filter(isDefaultIngressClass);
  defaults.sort((a, b) => created(b) - created(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return defaults.length ? name(defaults[0]) : undefined;
}

export function createDefaultIngressClassPlugin(): MutatingPlugin {
  return {
    name: 'DefaultIngressClass',
    handles: (attrs: AdmissionAttributes) => attrs.operation === 'CREATE' && isResource(attrs, 'networking.k8s.io', 'ingresses'),
    admit(attrs: AdmissionAttributes, ctx: AdmissionContext): void {
      const ingress = attrs.object;
      if (!ingress) return;
      if (typeof sub(ingress, 'spec')?.ingressClassName === 'string') return;
      if (ingress.metadata.annotations && LEGACY_INGRESS_CLASS_ANNOTATION in ingress.metadata.annotations) return;
      const def = defaultIngressClassName(ctx.reader.list('networking.k8s.io', 'ingressclasses'));
      if (def !== undefined) ensure(ingress, 'spec').ingressClassName = def;
    },
  };
}
