/**
 * `kubectl drain` over a Transport: cordon, list the node's pods (fieldSelector spec.nodeName), filter them as
 * kubectl's drain filters do (in order: DaemonSet-managed → ignored with ignoreDaemonSets else fatal; mirror pods →
 * skipped; finished pods → deleted whatever else; emptyDir volumes → fatal unless deleteEmptyDir; no controller →
 * fatal (KubeLab has no --force)), refuse with kubectl's aggregated error text when any pod is fatal, then evict each
 * pod through policy/v1 Eviction (429 → retry every 5 s; 404 → already gone) and wait until every evicted pod is gone
 * (or replaced: another uid) → `node/x drained`. Times out after `timeoutMs` with "drain did not complete within …".
 */
import { systemClock, type Clock } from '../../base/clock';
import type { Transport } from '../../client/transport';
import { humanDuration } from '../../apiserver/table/age';
import { cordon } from './actions';
import { ApiCallError, call, errorOf, listPath, objectPath, resourceFor } from './rest';

export interface DrainOptions {
  ignoreDaemonSets?: boolean;
  deleteEmptyDir?: boolean;
  /** Overall time limit (default: none). */
  timeoutMs?: number;
  /** Each progress line kubectl would print ("evicting pod ns/x", "pod/x evicted", warnings). */
  onProgress?: (line: string) => void;
  clock?: Clock;
  /** Delay between eviction retries after 429 (kubectl: 5 s) and between checks while waiting (default 1 s). */
  retryMs?: number;
  pollMs?: number;
}

interface PodLike {
  metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string>; ownerReferences?: { kind?: string; controller?: boolean }[] };
  spec?: { volumes?: { emptyDir?: unknown }[] };
  status?: { phase?: string };
}

const MESSAGES = {
  daemonSetFatal: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)',
  daemonSetWarning: 'ignoring DaemonSet-managed Pods',
  localStorageFatal: 'Pods with local storage (use --delete-emptydir-data to override)',
  unmanagedFatal: 'cannot delete Pods that declare no controller (use --force to override)',
};

const sleep = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
const key = (p: PodLike) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

/** kubectl's filter chain: the pods to evict, warnings, and fatal errors (message → pods). */
export function drainPlan(pods: PodLike[], o: Pick<DrainOptions, 'ignoreDaemonSets' | 'deleteEmptyDir'>): { evict: PodLike[]; warnings: Map<string, string[]>; errors: Map<string, string[]> } {
  const evict: PodLike[] = [];
  const warnings = new Map<string, string[]>();
  const errors = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, msg: string, p: PodLike) => m.set(msg, [...(m.get(msg) ?? []), key(p)]);
  for (const p of pods) {
    const ctl = p.metadata?.ownerReferences?.find((r) => r.controller === true);
    const finished = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
    if (ctl?.kind === 'DaemonSet') {
      add(o.ignoreDaemonSets ? warnings : errors, o.ignoreDaemonSets ? MESSAGES.daemonSetWarning : MESSAGES.daemonSetFatal, p);
      continue;
    }
    if (p.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
    if (!finished && !o.deleteEmptyDir && (p.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined)) {
      add(errors, MESSAGES.localStorageFatal, p);
      continue;
    }
    if (!finished && !ctl) {
      add(errors, MESSAGES.unmanagedFatal, p);
      continue;
    }
    evict.push(p);
  }
  return { evict, warnings, errors };
}

export async function drain(t: Transport, node: string, o: DrainOptions = {}): Promise<string> {
  const clock = o.clock ?? systemClock;
  const progress = o.onProgress ?? (() => undefined);
  const deadline = o.timeoutMs === undefined ? Infinity : clock.now() + o.timeoutMs;
  const timedOut = () => new Error(`drain did not complete within ${humanDuration(o.timeoutMs ?? 0)}`);
  progress(await cordon(t, node));
  const pods = resourceFor('Pod');
  const list = (await call(t, { method: 'GET', path: listPath(pods), query: { fieldSelector: `spec.nodeName=${node}` } })) as { items?: PodLike[] };
  const plan = drainPlan(list.items ?? [], o);
  const errs = [...plan.errors].map(([msg, ps]) => `${msg}: ${ps.join(', ')}`);
  if (errs.length) throw new Error(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  for (const [msg, ps] of plan.warnings) progress(`Warning: ${msg}: ${ps.join(', ')}`);
  const pending = new Map<string, string>();
  for (const p of plan.evict) {
    const ns = p.metadata?.namespace ?? '';
    const name = p.metadata?.name ?? '';
    progress(`evicting pod ${ns}/${name}`);
    for (;;) {
      const res = await t.request({
        method: 'POST',
        path: objectPath(pods, ns, name, 'eviction'),
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } },
      });
      if (res.status === 404) break;
      if (res.status >= 200 && res.status < 300) {
        pending.set(`${ns}/${name}`, p.metadata?.uid ?? '');
        break;
      }
      if (res.status !== 429) throw errorOf(res);
      progress(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${errorOf(res).message}`);
      if (clock.now() + (o.retryMs ?? 5000) > deadline) throw timedOut();
      await sleep(clock, o.retryMs ?? 5000);
    }
  }
  while (pending.size) {
    for (const [k, uid] of [...pending]) {
      const [ns, name] = k.split('/') as [string, string];
      try {
        const cur = (await call(t, { method: 'GET', path: objectPath(pods, ns, name) })) as PodLike;
        if (cur.metadata?.uid !== uid) throw new ApiCallError('replaced', 404, 'NotFound');
      } catch (e) {
        if (!(e instanceof ApiCallError) || e.code !== 404) throw e;
        pending.delete(k);
        progress(`pod/${name} evicted`);
      }
    }
    if (!pending.size) break;
    if (clock.now() + (o.pollMs ?? 1000) > deadline) throw timedOut();
    await sleep(clock, o.pollMs ?? 1000);
  }
  return `node/${node} drained`;
}
