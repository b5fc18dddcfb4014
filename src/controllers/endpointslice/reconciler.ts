/**
 * The EndpointSlice reconciler (upstream staging endpointslice reconciler.go Reconcile + finalize): desired
 * endpoints per address type and port set from the Service's pods, the plan of reconcile-plan.ts, then the writes —
 * creates (skipped while the Service is being deleted; a terminating namespace ends the sync quietly), updates,
 * deletes — each stamped with the last-change-trigger-time annotation and recorded in the tracker. Slices of an
 * address type the Service no longer has are deleted. Pods on a node the cache does not know are skipped (and the
 * sync fails, to be retried) unless the Service publishes not-ready addresses. Errors are aggregated as upstream.
 */
import type { CachedObject, Lister } from '../../client/informers';
import { isNamespaceTerminating, type ApiClient } from '../framework/api-client';
import { R } from '../framework/resources';
import { podSpec, serviceSpec, shouldPodBeInEndpoints } from '../endpoint/pod-endpoints';
import { LAST_CHANGE_TRIGGER_TIME, rfc3339Nano } from '../endpoint/trigger-time-tracker';
import { planAddressType, type DesiredGroup } from './reconcile-plan';
import { addressTypesForService, endpointKey, endpointPorts, portMapKey, podToEndpoint, type AddressType, type EndpointSlice } from './slice-model';
import type { EndpointSliceTracker } from './slice-tracker';

export class ReconcileError extends Error {}

/** utilerrors.NewAggregate's message. */
function aggregate(errs: readonly string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

export interface ReconcilerDeps {
  client: ApiClient;
  nodes: Lister;
  tracker: EndpointSliceTracker;
  maxEndpointsPerSlice: number;
}

export class Reconciler {
  constructor(private readonly d: ReconcilerDeps) {}

  async reconcile(svc: CachedObject, pods: readonly CachedObject[], existing: readonly EndpointSlice[], triggerTime: number): Promise<void> {
    const errs: string[] = [];
    const supported = addressTypesForService(svc);
    const doomed: EndpointSlice[] = [];
    const byType = new Map<string, EndpointSlice[]>();
    for (const s of existing) {
      if (!supported.has(s.addressType as AddressType)) doomed.push(s);
      else byType.set(s.addressType, [...(byType.get(s.addressType) ?? []), s]);
    }
    for (const t of supported) {
      errs.push(...(await this.reconcileType(svc, pods, byType.get(t) ?? [], triggerTime, t)));
    }
    const ns = String(svc.metadata?.namespace ?? '');
    for (const s of doomed) {
      try {
        await this.d.client.delete(R.endpointslices, ns, String(s.metadata.name));
        this.d.tracker.expectDeletion(s as unknown as CachedObject);
      } catch (e) {
        errs.push(`error deleting ${String(s.metadata.name)} EndpointSlice for Service ${ns}/${String(svc.metadata?.name)}: ${(e as Error).message}`);
      }
    }
    if (errs.length) throw new ReconcileError(aggregate(errs));
  }

  /** reconcileByAddressType: returns the errors (pods skipped, the first failed write). */
  private async reconcileType(svc: CachedObject, pods: readonly CachedObject[], existing: EndpointSlice[], triggerTime: number, t: AddressType): Promise<string[]> {
    const errs: string[] = [];
    const ns = String(svc.metadata?.namespace ?? '');
    const name = String(svc.metadata?.name ?? '');
    const desired = new Map<string, DesiredGroup>();
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports = endpointPorts(svc, pod);
      const key = portMapKey(ports);
      let group = desired.get(key);
      if (!group) desired.set(key, (group = { ports, endpoints: new Map() }));
      const nodeName = podSpec(pod).nodeName ?? '';
      const node = this.d.nodes.get('', nodeName);
      if (!node && !serviceSpec(svc).publishNotReadyAddresses) {
        errs.push(`skipping Pod ${String(pod.metadata?.name)} for Service ${ns}/${name}: node "${nodeName}" not found`);
        continue;
      }
      const ep = podToEndpoint(pod, node, svc, t);
      if (ep.addresses.length > 0) group.endpoints.set(endpointKey(ep), ep);
    }
    const plan = planAddressType(svc, existing, desired, t, this.d.maxEndpointsPerSlice);
    try {
      await this.finalize(svc, plan, triggerTime);
    } catch (e) {
      errs.push((e as Error).message);
    }
    return errs;
  }

  /** finalize's writes; throws the first failure (worded as upstream). */
  private async finalize(svc: CachedObject, plan: ReturnType<typeof planAddressType>, triggerTime: number): Promise<void> {
    const ns = String(svc.metadata?.namespace ?? '');
    const name = String(svc.metadata?.name ?? '');
    if (!svc.metadata?.deletionTimestamp) {
      for (const s of plan.create) {
        stampTriggerTime(s, triggerTime);
        try {
          this.d.tracker.update(await this.d.client.create(R.endpointslices, ns, s as never));
        } catch (e) {
          if (isNamespaceTerminating(e)) return;
          throw new Error(`failed to create EndpointSlice for Service ${ns}/${name}: ${(e as Error).message}`);
        }
      }
    }
    for (const s of plan.update) {
      stampTriggerTime(s, triggerTime);
      try {
        this.d.tracker.update(await this.d.client.update(R.endpointslices, ns, s as never));
      } catch (e) {
        throw new Error(`failed to update ${String(s.metadata.name)} EndpointSlice for Service ${ns}/${name}: ${(e as Error).message}`);
      }
    }
    for (const s of plan.delete) {
      try {
        await this.d.client.delete(R.endpointslices, ns, String(s.metadata.name));
        this.d.tracker.expectDeletion(s as unknown as CachedObject);
      } catch (e) {
        throw new Error(`failed to delete ${String(s.metadata.name)} EndpointSlice for Service ${ns}/${name}: ${(e as Error).message}`);
      }
    }
  }
}

/** addTriggerTimeAnnotation. */
function stampTriggerTime(s: EndpointSlice, triggerTime: number): void {
  const a = { ...(s.metadata.annotations ?? {}) };
  if (triggerTime) a[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
  else delete a[LAST_CHANGE_TRIGGER_TIME];
  if (Object.keys(a).length) s.metadata.annotations = a;
  else delete s.metadata.annotations;
}
