/**
 * ProxyChanges: the per-node state kube-proxy programs, kept up to date from Service and EndpointSlice events
 * (upstream's ServiceChangeTracker + EndpointsChangeTracker + EndpointSliceCache, merged), recording which service
 * port keys changed since the last `take()` so each sync touches only those.
 *
 * `setService`/`deleteService` and `setSlice`/`deleteSlice` take informer objects; a change that programs nothing new
 * (e.g. a status-only update, or a slice rewritten with the same endpoints) marks nothing. Counters of service and
 * endpoint changes feed kube-proxy's metrics.
 */
import type { CachedObject } from '../client/informers';
import { mergeEndpoints, sameEndpoints, sliceEndpoints, sliceService } from './endpoint-slices';
import { samePort, servicePortsOf } from './service-ports';
import type { EndpointInfo, ProxyState, ServicePortInfo } from './types';

interface SliceEntry {
  service: string;
  perKey: Map<string, EndpointInfo[]>;
}

export class ProxyChanges {
  private readonly services = new Map<string, ServicePortInfo>();
  private readonly endpoints = new Map<string, readonly EndpointInfo[]>();
  /** service `ns/name` → its port keys. */
  private readonly keysOfService = new Map<string, string[]>();
  /** slice `ns/name` → what it contributes. */
  private readonly slices = new Map<string, SliceEntry>();
  /** service `ns/name` → its slices' `ns/name`s. */
  private readonly slicesOfService = new Map<string, Set<string>>();
  private changed = new Set<string>();
  serviceChanges = 0;
  endpointChanges = 0;

  get state(): ProxyState {
    return { services: this.services, endpoints: this.endpoints };
  }

  hasChanges(): boolean {
    return this.changed.size > 0;
  }

  /** The keys changed since the last take; resets them. */
  take(): Set<string> {
    const c = this.changed;
    this.changed = new Set();
    return c;
  }

  setService(obj: CachedObject): void {
    const id = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    const ports = servicePortsOf(obj);
    const old = this.keysOfService.get(id) ?? [];
    const next = new Set(ports.map((p) => p.key));
    let any = false;
    for (const k of old) {
      if (!next.has(k)) {
        this.services.delete(k);
        this.changed.add(k);
        any = true;
      }
    }
    for (const p of ports) {
      const prev = this.services.get(p.key);
      if (!prev || !samePort(prev, p)) {
        this.services.set(p.key, p);
        this.changed.add(p.key);
        any = true;
      }
    }
    if (ports.length) this.keysOfService.set(id, [...next]);
    else this.keysOfService.delete(id);
    if (any) this.serviceChanges++;
  }

  deleteService(obj: CachedObject): void {
    const id = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    const keys = this.keysOfService.get(id);
    if (!keys) return;
    for (const k of keys) {
      this.services.delete(k);
      this.changed.add(k);
    }
    this.keysOfService.delete(id);
    this.serviceChanges++;
  }

  setSlice(obj: CachedObject): void {
    const id = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    const service = sliceService(obj);
    if (!service) {
      this.deleteSliceId(id);
      return;
    }
    const prev = this.slices.get(id);
    if (prev && prev.service !== service) this.deleteSliceId(id);
    const entry: SliceEntry = { service, perKey: sliceEndpoints(obj) };
    this.slices.set(id, entry);
    let set = this.slicesOfService.get(service);
    if (!set) this.slicesOfService.set(service, (set = new Set()));
    set.add(id);
    this.remerge(service, new Set([...(prev?.service === service ? prev.perKey.keys() : []), ...entry.perKey.keys()]));
  }

  deleteSlice(obj: CachedObject): void {
    this.deleteSliceId(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`);
  }

  private deleteSliceId(id: string): void {
    const prev = this.slices.get(id);
    if (!prev) return;
    this.slices.delete(id);
    const set = this.slicesOfService.get(prev.service);
    set?.delete(id);
    if (set && !set.size) this.slicesOfService.delete(prev.service);
    this.remerge(prev.service, new Set(prev.perKey.keys()));
  }

  private remerge(service: string, keys: Set<string>): void {
    const ids = this.slicesOfService.get(service) ?? new Set<string>();
    let any = false;
    for (const key of keys) {
      const parts: EndpointInfo[][] = [];
      for (const id of ids) {
        const l = this.slices.get(id)?.perKey.get(key);
        if (l) parts.push(l);
      }
      const merged = mergeEndpoints(parts);
      if (sameEndpoints(this.endpoints.get(key), merged)) continue;
      if (merged.length) this.endpoints.set(key, merged);
      else this.endpoints.delete(key);
      this.changed.add(key);
      any = true;
    }
    if (any) this.endpointChanges++;
  }
}
