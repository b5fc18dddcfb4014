/**
 * The scheduler's informer handlers (upstream eventhandlers.go, 1.32 with queueing hints on):
 * - Nodes → the cache; NodeAdd and each node update's scheduling-relevant change move parked pods.
 * - Pods: assigned, non-terminal pods → the cache (AssignedPodAdd/Update/Delete move parked pods); unassigned,
 *   non-terminal pods of a profile's schedulerName → the queue (updates of assumed pods and updates that keep the
 *   resourceVersion are ignored). A pod crossing between those sets (bound, finished) is a delete on one side and
 *   an add on the other, as upstream's FilteringResourceEventHandler does.
 * - Every other resource some enabled plugin registered events for (PV, PVC, StorageClass, CSINode, Namespace,
 *   Service; `*` = all of them that the API server serves) → `<Resource><Action>` events to the queue.
 */
import { builtinResources } from '../api/resources';
import { deletedObject, isTombstone, type CachedObject, type DeletedFinalStateUnknown, type ResourceRef, type SharedInformerFactory } from '../client/informers';
import { R } from '../controllers/framework/resources';
import { podRef, podUid, type Core } from './core';
import type { ActionType, EventResource, Node, Pod } from './framework';
import { nodeSchedulingPropertiesChange } from './node-events';
import { AssignedPodAdd, AssignedPodDelete, NodeAdd } from './queue/events';
import type { Framework } from './runtime/framework';

const OTHER: Partial<Record<EventResource, ResourceRef>> = {
  PersistentVolume: R.persistentvolumes,
  PersistentVolumeClaim: R.persistentvolumeclaims,
  StorageClass: R.storageclasses,
  CSINode: { group: 'storage.k8s.io', version: 'v1', resource: 'csinodes' },
  Namespace: R.namespaces,
  Service: R.services,
};

const assigned = (p: Pod): boolean => !!(p.spec as { nodeName?: string } | undefined)?.nodeName;
const terminal = (p: Pod): boolean => {
  const phase = (p.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
};

export function addAllEventHandlers(core: Core, informers: SharedInformerFactory, frameworks: ReadonlyMap<string, Framework>): void {
  const log = (what: string, e: unknown) => core.logger.error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  const responsible = (p: Pod) => frameworks.has(String((p.spec as { schedulerName?: string } | undefined)?.schedulerName || 'default-scheduler'));
  const forCache = (p: Pod) => assigned(p) && !terminal(p);
  const forQueue = (p: Pod) => !assigned(p) && !terminal(p) && responsible(p);

  const addToCache = (pod: Pod) => {
    try {
      core.cache.addPod(pod);
    } catch (e) {
      log(`Scheduler cache AddPod failed pod=${podRef(pod)}`, e);
    }
    core.queue.moveAllToActiveOrBackoffQueue(AssignedPodAdd, undefined, pod);
  };
  const updateInCache = (oldPod: Pod, newPod: Pod) => {
    if (podUid(oldPod) !== podUid(newPod)) {
      removeFromCache(oldPod);
      addToCache(newPod);
      return;
    }
    try {
      core.cache.updatePod(oldPod, newPod);
    } catch (e) {
      log(`Scheduler cache UpdatePod failed pod=${podRef(oldPod)}`, e);
    }
    core.queue.assignedPodUpdated(oldPod, newPod);
  };
  const removeFromCache = (pod: Pod) => {
    try {
      core.cache.removePod(pod);
    } catch (e) {
      log(`Scheduler cache RemovePod failed pod=${podRef(pod)}`, e);
    }
    core.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, pod, undefined);
  };
  const addToQueue = (pod: Pod) => core.queue.add(pod);
  const updateInQueue = (oldPod: Pod, newPod: Pod) => {
    if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return;
    if (core.cache.isAssumedPod(newPod)) return;
    core.queue.update(oldPod, newPod);
  };
  const removeFromQueue = (pod: Pod) => {
    core.queue.delete(pod);
    const fwk = frameworks.get(String((pod.spec as { schedulerName?: string } | undefined)?.schedulerName || 'default-scheduler'));
    if (fwk?.rejectWaitingPod(podUid(pod))) core.queue.moveAllToActiveOrBackoffQueue(AssignedPodDelete, pod, undefined);
  };

  informers.informerFor(R.pods).addEventHandler({
    onAdd: (pod) => {
      if (forCache(pod)) addToCache(pod);
      else if (forQueue(pod)) addToQueue(pod);
    },
    onUpdate: (oldPod, newPod) => {
      const [c0, c1, q0, q1] = [forCache(oldPod), forCache(newPod), forQueue(oldPod), forQueue(newPod)];
      if (q0 && q1) updateInQueue(oldPod, newPod);
      else if (q0) removeFromQueue(oldPod);
      if (c0 && c1) updateInCache(oldPod, newPod);
      else if (c0) removeFromCache(oldPod);
      else if (c1) addToCache(newPod);
      if (!q0 && q1) addToQueue(newPod);
    },
    onDelete: (x: CachedObject | DeletedFinalStateUnknown) => {
      const pod = deletedObject(x);
      core.decisions.delete(podUid(pod));
      if (isTombstone(x)) {
        if (core.cache.getPod(pod)) removeFromCache(pod);
        if (responsible(pod)) removeFromQueue(pod);
        return;
      }
      if (forCache(pod)) removeFromCache(pod);
      else if (forQueue(pod)) removeFromQueue(pod);
    },
  });

  informers.informerFor(R.nodes).addEventHandler({
    onAdd: (node: Node) => {
      core.cache.addNode(node);
      core.queue.moveAllToActiveOrBackoffQueue(NodeAdd, undefined, node);
    },
    onUpdate: (oldNode: Node, newNode: Node) => {
      core.cache.updateNode(oldNode, newNode);
      for (const evt of nodeSchedulingPropertiesChange(newNode, oldNode)) core.queue.moveAllToActiveOrBackoffQueue(evt, oldNode, newNode);
    },
    onDelete: (x) => {
      try {
        core.cache.removeNode(deletedObject(x));
      } catch (e) {
        log('Scheduler cache RemoveNode failed', e);
      }
    },
  });

  const wanted = new Set<EventResource>();
  for (const f of frameworks.values()) {
    for (const p of f.enqueuePlugins()) {
      const ee = p as unknown as { eventsToRegister?: () => { event: { resource: EventResource } }[] };
      const events = typeof ee.eventsToRegister === 'function' ? ee.eventsToRegister().map((e) => e.event.resource) : (['*'] as EventResource[]);
      for (const r of events) wanted.add(r);
    }
  }
  const served = new Set(builtinResources().map((r) => `${r.group}/${r.resource}`));
  for (const [res, ref] of Object.entries(OTHER) as [EventResource, ResourceRef][]) {
    if (!(wanted.has(res) || wanted.has('*')) || !served.has(`${ref.group}/${ref.resource}`)) continue;
    const evt = (action: ActionType) => ({ resource: res, actions: [action], label: `${res}${action}` });
    informers.informerFor(ref).addEventHandler({
      onAdd: (o) => core.queue.moveAllToActiveOrBackoffQueue(evt('Add'), undefined, o),
      onUpdate: (o, n) => core.queue.moveAllToActiveOrBackoffQueue(evt('Update'), o, n),
      onDelete: (x) => core.queue.moveAllToActiveOrBackoffQueue(evt('Delete'), deletedObject(x), undefined),
    });
  }
}
