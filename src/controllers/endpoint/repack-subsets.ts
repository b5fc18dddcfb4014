/**
 * Endpoints subsets as upstream's pkg/api/v1/endpoints RepackSubsets and SortSubsets build them: every (address,
 * port) pair is regrouped so each subset holds the addresses that offer exactly the same set of ports (N-to-M);
 * addresses are de-duplicated by IP + targetRef uid, and an address not ready on any port is not ready in the subset
 * ("not ready always trumps ready"). Subsets without ports (headless services without ports) are kept. Finally
 * addresses are sorted by IP then uid, and ports and subsets by the md5 of their Go rendering (DeepHashObject), which
 * is the order kube-controller-manager writes.
 */
import { deepHash, goInt, goPtr, goSlice, goString, goStruct } from './go-deep-hash';

export type { ObjectReference } from '../../client/events/types';
import type { ObjectReference } from '../../client/events/types';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

const OBJECT_REFERENCE = goStruct('v1.ObjectReference', [
  ['Kind', 'kind', goString()],
  ['Namespace', 'namespace', goString()],
  ['Name', 'name', goString()],
  ['UID', 'uid', goString('types.UID')],
  ['APIVersion', 'apiVersion', goString()],
  ['ResourceVersion', 'resourceVersion', goString()],
  ['FieldPath', 'fieldPath', goString()],
]);

const ENDPOINT_ADDRESS = goStruct('v1.EndpointAddress', [
  ['IP', 'ip', goString()],
  ['Hostname', 'hostname', goString()],
  ['NodeName', 'nodeName', goPtr(goString())],
  ['TargetRef', 'targetRef', goPtr(OBJECT_REFERENCE)],
]);

export const ENDPOINT_PORT = goStruct('v1.EndpointPort', [
  ['Name', 'name', goString()],
  ['Port', 'port', goInt('int32')],
  ['Protocol', 'protocol', goString('v1.Protocol')],
  ['AppProtocol', 'appProtocol', goPtr(goString())],
]);

export const ENDPOINT_SUBSET = goStruct('v1.EndpointSubset', [
  ['Addresses', 'addresses', goSlice(ENDPOINT_ADDRESS)],
  ['NotReadyAddresses', 'notReadyAddresses', goSlice(ENDPOINT_ADDRESS)],
  ['Ports', 'ports', goSlice(ENDPOINT_PORT)],
]);

function portKey(p: EndpointPort): string {
  return JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]);
}

function addressKey(a: EndpointAddress): string {
  return JSON.stringify([a.ip, a.targetRef?.uid ?? '']);
}

/** LessEndpointAddress: by IP (bytes), then targetRef uid (an address without a targetRef first). */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const c = Buffer.compare(Buffer.from(a.ip), Buffer.from(b.ip));
  if (c !== 0) return c;
  if (!b.targetRef) return a.targetRef ? 1 : 0;
  if (!a.targetRef) return -1;
  const ua = a.targetRef.uid ?? '';
  const ub = b.targetRef.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

const SENTINEL: EndpointPort = { port: -1 };

export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort; addrs: Map<EndpointAddress, boolean> }>();
  const add = (addr: EndpointAddress, port: EndpointPort, ready: boolean) => {
    const k = addressKey(addr);
    let existing = allAddrs.get(k);
    if (!existing) allAddrs.set(k, (existing = structuredClone(addr)));
    const pk = portKey(port);
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }));
    const was = entry.addrs.get(existing);
    if (was === undefined || was) entry.addrs.set(existing, ready);
  };
  for (const s of subsets) {
    const ports = s.ports?.length ? s.ports : [SENTINEL];
    for (const port of ports) {
      for (const a of s.addresses ?? []) add(a, port, true);
      for (const a of s.notReadyAddresses ?? []) add(a, port, false);
    }
  }
  // Group the ports by the exact set of (address, ready) offering them.
  const groups = new Map<string, { addrs: Map<EndpointAddress, boolean>; ports: EndpointPort[] | undefined }>();
  for (const { port, addrs } of byPort.values()) {
    const list = [...addrs.entries()].sort((x, y) => compareAddresses(x[0], y[0]));
    const key = JSON.stringify(list.map(([a, r]) => [addressKey(a), r]));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs, ports: undefined }));
    if (port.port > 0) (g.ports ??= []).push(structuredClone(port));
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const s: EndpointSubset = {};
    for (const [a, ready] of g.addrs) {
      if (ready) (s.addresses ??= []).push(structuredClone(a));
      else (s.notReadyAddresses ??= []).push(structuredClone(a));
    }
    if (g.ports) s.ports = g.ports;
    out.push(s);
  }
  return sortSubsets(out);
}

/** SortSubsets (in place; returns its argument). */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const s of subsets) {
    s.addresses?.sort(compareAddresses);
    s.notReadyAddresses?.sort(compareAddresses);
    if (s.ports) s.ports = sortByHash(s.ports, (p) => deepHash(p, ENDPOINT_PORT));
  }
  const sorted = sortByHash(subsets, (s) => deepHash(s, ENDPOINT_SUBSET))!;
  subsets.splice(0, subsets.length, ...sorted);
  return subsets;
}

function sortByHash<T>(items: T[] | undefined, hash: (x: T) => Buffer): T[] | undefined {
  if (!items) return items;
  return items
    .map((x) => ({ x, h: hash(x) }))
    .sort((a, b) => Buffer.compare(a.h, b.h))
    .map((e) => e.x);
}
