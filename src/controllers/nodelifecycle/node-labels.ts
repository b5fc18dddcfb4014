/**
 * reconcileNodeLabels (upstream nodelifecycle labelReconcileInfo): the deprecated beta OS and arch labels follow the
 * stable ones — `beta.kubernetes.io/os` := `kubernetes.io/os`, `beta.kubernetes.io/arch` := `kubernetes.io/arch` —
 * added when missing and corrected when different; nothing when the stable label is absent. One strategic merge
 * patch of the node's labels.
 */
import type { CachedObject } from '../../client/informers';
import type { ApiClient } from '../framework/api-client';
import { R } from '../framework/resources';

const PAIRS: readonly [primary: string, secondary: string][] = [
  ['kubernetes.io/os', 'beta.kubernetes.io/os'],
  ['kubernetes.io/arch', 'beta.kubernetes.io/arch'],
];

/** The labels to set on the node (empty: none). */
export function labelsToReconcile(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [primary, secondary] of PAIRS) {
    if (!Object.hasOwn(labels, primary)) continue;
    if (labels[secondary] !== labels[primary]) out[secondary] = labels[primary];
  }
  return out;
}

export async function reconcileNodeLabels(client: ApiClient, node: CachedObject): Promise<void> {
  const update = labelsToReconcile(node.metadata?.labels ?? {});
  if (Object.keys(update).length === 0) return;
  await client.patch(R.nodes, '', String(node.metadata?.name ?? ''), { metadata: { labels: update } }, 'strategic');
}
