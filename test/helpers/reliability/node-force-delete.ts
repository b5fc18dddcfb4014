/**
 * The end-to-end negative control of the StatefulSet identity check, in a real cluster: what upstream documents as
 * the danger of force-deleting a StatefulSet pod (kubernetes.io, "Force Delete StatefulSet Pods"). The kubelet of a
 * worker hosting a StatefulSet pod is stopped (its containers keep running, unobserved), the worker is cordoned so
 * the replacement lands elsewhere (it still looks Ready in the API), and the pod is deleted with
 * gracePeriodSeconds=0, as `kubectl delete pod --force --grace-period=0` does. The StatefulSet controller then
 * creates the same identity on another node, which runs while the old one may still run on the stopped node: the
 * checker must report it. Returns what it reported; asserts nothing.
 */
import { sleep, waitFor } from '../wait';
import { NodeFaultHarness } from './node-fault-harness';
import { availability, NODE_FAULT_NAMESPACE } from './node-workload';

export interface ForceDeleteResult {
  pod: string;
  node: string;
  identityViolations: string[];
  problems: string[];
}

export async function forceDeleteOnStoppedNode(log: (msg: string) => void = () => undefined): Promise<ForceDeleteResult> {
  const h = await NodeFaultHarness.open();
  try {
    const target = (await availability(h.api)).pods.find((p) => p.statefulSet && h.workerNames.includes(p.node));
    if (!target) throw new Error('no StatefulSet pod on a worker');
    await h.stopKubelet(target.node);
    const cordon = await h.api.request({ method: 'PATCH', path: `/api/v1/nodes/${target.node}`, contentType: 'application/merge-patch+json', body: { spec: { unschedulable: true } } });
    if (cordon.status !== 200) throw new Error(`cordoning ${target.node}: HTTP ${cordon.status}`);
    await sleep(2500); // past NodeOutages' slack: the deletion then counts as happening while the kubelet is down
    const del = await h.api.request({ method: 'DELETE', path: `/api/v1/namespaces/${NODE_FAULT_NAMESPACE}/pods/${target.name}`, query: { gracePeriodSeconds: 0 } });
    if (del.status !== 200) throw new Error(`force-deleting ${target.name}: HTTP ${del.status}`);
    log(`force-deleted ${target.name} (uid ${target.uid}) while the kubelet of ${target.node} is stopped`);
    await waitFor(() => h.checker.violations.length > 0, 'the identity checker to report the double run', { timeoutMs: 30_000, intervalMs: 100 }).catch(() => undefined);
    return { pod: target.name, node: target.node, identityViolations: h.checker.violations, problems: h.problems };
  } finally {
    await h.close();
  }
}
