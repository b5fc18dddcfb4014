/**
 * The DaemonSet controller's view of its objects (kubernetes-types shapes over the informers' frozen objects) and
 * upstream's constants: the controller kind, the labels daemon pods carry (`controller-revision-hash`,
 * `pod-template-generation`) and the deprecated template-generation annotation the API server keeps on a set.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { CachedObject } from '../../client/informers';

export type { DaemonSet, Node, Pod };

export const DS_API_VERSION = 'apps/v1';
export const DS_KIND = 'DaemonSet';

/** apps.DefaultDaemonSetUniqueLabelKey (= ControllerRevisionHashLabelKey). */
export const DS_HASH_LABEL = 'controller-revision-hash';
/** extensions.DaemonSetTemplateGenerationKey. */
export const DS_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** apps.DeprecatedTemplateGeneration: the set's template generation, kept by the API server as an annotation. */
export const DS_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export const asDaemonSet = (o: CachedObject): DaemonSet => o as unknown as DaemonSet;
export const asNode = (o: CachedObject): Node => o as unknown as Node;
export const asPod = (o: CachedObject): Pod => o as unknown as Pod;
