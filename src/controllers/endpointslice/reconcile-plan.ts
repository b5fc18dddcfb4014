/**
 * The EndpointSlice reconciler's pure part (upstream staging endpointslice reconciler.go): for one Service and
 * address type, the slices to create, update and delete so the slices hold exactly the desired endpoints with
 * minimal churn. Per set of ports: endpoints that are still wanted stay in their slice (updated in place when
 * their conditions/node/zone changed), slices left empty are deleted, new endpoints first fill slices already being
 * updated (fullest first), then the unchanged slice that they fit best, then new slices of at most
 * `maxEndpointsPerSlice`. A Service with no endpoints keeps one placeholder slice (no ports, no endpoints). Creates
 * are turned into updates of slices that would otherwise be deleted (finalize), so names are reused.
 */
import type { CachedObject } from '../../client/informers';
import { semanticEqual } from '../endpoint/semantic-equal';
import {
  endpointKey,
  endpointsEqualBeyondHash,
  newEndpointSlice,
  ownedBy,
  portMapKey,
  sliceLabels,
  type AddressType,
  type EndpointSlice,
  type SliceEndpoint,
  type SlicePort,
} from './slice-model';

export interface DesiredGroup {
  ports: SlicePort[];
  /** Endpoints by endpointKey, in insertion order (upstream pops from a map: any order). */
  endpoints: Map<string, SliceEndpoint>;
}

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

const lenOf = (s: EndpointSlice) => s.endpoints?.length ?? 0;

function popAny(set: Map<string, SliceEndpoint>): SliceEndpoint {
  const [k, v] = set.entries().next().value as [string, SliceEndpoint];
  set.delete(k);
  return v;
}

/** getSliceToFill: the slice closest to full after adding `n` endpoints, if any fits. */
export function sliceToFill(slices: readonly EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of slices) {
    const diff = max - (n + lenOf(s));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) return s;
    }
  }
  return closest;
}

/** reconcileByPortMapping. Consumes `desired`. */
export function reconcileByPortMapping(svc: CachedObject, existing: readonly EndpointSlice[], desired: DesiredGroup, addressType: AddressType, max: number): SlicePlan {
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();
  const want = desired.endpoints;
  for (const slice of existing) {
    const name = String(slice.metadata.name);
    byName.set(name, slice);
    const kept: SliceEndpoint[] = [];
    let endpointUpdated = false;
    for (const ep of slice.endpoints ?? []) {
      const key = endpointKey(ep);
      const got = want.get(key);
      if (!got) continue;
      kept.push(got);
      if (!endpointsEqualBeyondHash(got, ep)) endpointUpdated = true;
      want.delete(key);
    }
    const { labels, changed } = sliceLabels(slice, svc);
    if (endpointUpdated || lenOf(slice) !== kept.length) {
      if (kept.length === 0) toDelete.add(name);
      else {
        const copy = structuredClone(slice);
        copy.endpoints = kept;
        copy.metadata.labels = labels;
        byName.set(name, copy);
        toUpdate.add(name);
      }
    } else if (changed) {
      const copy = structuredClone(slice);
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else unchanged.add(name);
  }
  if (want.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => lenOf(b) - lenOf(a));
    for (const s of slices) while (want.size > 0 && lenOf(s) < max) s.endpoints.push(popAny(want));
  }
  const create: EndpointSlice[] = [];
  while (want.size > 0) {
    let fill: EndpointSlice | undefined;
    if (want.size < max && unchanged.size > 0) fill = sliceToFill([...unchanged].map((n) => byName.get(n)!), want.size, max);
    if (!fill) fill = newEndpointSlice(svc, desired.ports, addressType);
    else {
      fill = structuredClone(fill);
      byName.set(String(fill.metadata.name), fill);
    }
    while (want.size > 0 && lenOf(fill) < max) fill.endpoints.push(popAny(want));
    if (fill.metadata.name) {
      toUpdate.add(fill.metadata.name);
      unchanged.delete(fill.metadata.name);
    } else create.push(fill);
  }
  return { create, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!) };
}

/** placeholderSliceCompare: namespace, labels, address type, endpoints and ports. */
function samePlaceholder(a: EndpointSlice, b: EndpointSlice): boolean {
  return (
    a.metadata.namespace === b.metadata.namespace &&
    semanticEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) &&
    a.addressType === b.addressType &&
    semanticEqual(a.endpoints, b.endpoints) &&
    semanticEqual(a.ports, b.ports)
  );
}

/** reconcileByAddressType (without the writes); `desired` maps portMapKey → group. */
export function planAddressType(svc: CachedObject, existing: readonly EndpointSlice[], desired: Map<string, DesiredGroup>, addressType: AddressType, max: number): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      plan.delete.push(s);
      continue;
    }
    const k = portMapKey(s.ports ?? []);
    existingByPorts.set(k, [...(existingByPorts.get(k) ?? []), s]);
  }
  for (const [k, group] of desired) {
    const p = reconcileByPortMapping(svc, existingByPorts.get(k) ?? [], group, addressType, max);
    plan.create.push(...p.create);
    plan.update.push(...p.update);
    plan.delete.push(...p.delete);
  }
  for (const [k, slices] of existingByPorts) if (!desired.has(k)) plan.delete.push(...slices);
  if (existing.length === plan.delete.length && plan.create.length < 1) {
    const placeholder = newEndpointSlice(svc, [], addressType);
    if (plan.delete.length === 1 && samePlaceholder(plan.delete[0], placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }
  return finalizePlan(svc, plan);
}

/** finalize's first step: creates become updates of same-type, Service-owned slices that would be deleted. */
export function finalizePlan(svc: CachedObject, plan: SlicePlan): SlicePlan {
  const create = [...plan.create];
  const update = [...plan.update];
  const del = [...plan.delete];
  for (let i = 0; i < del.length; ) {
    if (create.length === 0) break;
    const doomed = del[i];
    const slice = create[create.length - 1];
    if (doomed.addressType === slice.addressType && ownedBy(doomed, svc)) {
      slice.metadata.name = doomed.metadata.name;
      create.pop();
      update.push(slice);
      del.splice(i, 1);
    } else i++;
  }
  return { create, update, delete: del };
}
