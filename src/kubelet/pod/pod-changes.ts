/**
 * Whether an update of a pod from the API is one the pod worker must act on (upstream pkg/kubelet/config
 * podsDifferSemantically): a change of spec, labels, annotations, deletionTimestamp or deletionGracePeriodSeconds.
 * A change of the status alone (the kubelet's own status write coming back, a controller's condition) is not: the
 * worker only takes the newer object as the base of its next status, without syncing for it (upstream "reconcile").
 */
import { isDeepStrictEqual } from 'node:util';

type Meta = { labels?: unknown; annotations?: unknown; deletionTimestamp?: unknown; deletionGracePeriodSeconds?: unknown };

export function podsDifferSemantically(a: { metadata?: unknown; spec?: unknown }, b: { metadata?: unknown; spec?: unknown }): boolean {
  const ma = (a.metadata ?? {}) as Meta;
  const mb = (b.metadata ?? {}) as Meta;
  return (
    ma.deletionTimestamp !== mb.deletionTimestamp ||
    ma.deletionGracePeriodSeconds !== mb.deletionGracePeriodSeconds ||
    !isDeepStrictEqual(ma.labels ?? {}, mb.labels ?? {}) ||
    !isDeepStrictEqual(ma.annotations ?? {}, mb.annotations ?? {}) ||
    !isDeepStrictEqual(a.spec, b.spec)
  );
}
