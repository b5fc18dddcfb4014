/**
 * ClusterDns over a scripted API (a fake Transport serving lists and watches for services, endpointslices and
 * namespaces): initial lists become records, watch events update them, queries are answered over real UDP; before
 * the informers sync it serves SERVFAIL for unknown names (after the sync timeout, with CoreDNS's warning); stop.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as packet from 'dns-packet';
import { memoryLogger } from '../../../../src/base/logger';
import { EventQueue } from '../../../../src/client/event-queue';
import type { RestRequest, RestResponse, Transport, WatchEvent, WatchStream } from '../../../../src/client/transport';
import { ClusterDns } from '../../../../src/addons/dns';
import { query, rcodeOf, udp } from './dns-client';
import { rr, slice, svc } from './fixtures';
import { waitFor } from '../../../helpers/wait';

const PATHS = { services: '/api/v1/services', slices: '/apis/discovery.k8s.io/v1/endpointslices', namespaces: '/api/v1/namespaces' } as const;
type Kind = keyof typeof PATHS;

/** A tiny API: lists from memory (optionally held back), watches fed by add/remove. */
class FakeApi implements Transport {
  private rv = 10;
  private readonly objs = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly queues = new Map<string, Set<EventQueue>>();
  private gate: Promise<void> = Promise.resolve();
  lists: string[] = [];

  holdLists(): () => void {
    let release!: () => void;
    this.gate = new Promise((r) => (release = r));
    return release;
  }

  put(kind: Kind, obj: Record<string, unknown>): void {
    const m = (obj.metadata ?? {}) as { namespace?: string; name?: string };
    const map = this.objs.get(PATHS[kind]) ?? new Map();
    this.objs.set(PATHS[kind], map);
    const k = `${m.namespace ?? ''}/${m.name}`;
    const type = map.has(k) ? 'MODIFIED' : 'ADDED';
    const o = { ...obj, metadata: { ...m, resourceVersion: String(++this.rv) } };
    map.set(k, o);
    this.emit(kind, { type, object: o });
  }

  remove(kind: Kind, namespace: string, name: string): void {
    const map = this.objs.get(PATHS[kind]);
    const o = map?.get(`${namespace}/${name}`);
    if (!o) return;
    map!.delete(`${namespace}/${name}`);
    this.emit(kind, { type: 'DELETED', object: { ...o, metadata: { ...(o.metadata as object), resourceVersion: String(++this.rv) } } });
  }

  private emit(kind: Kind, ev: WatchEvent): void {
    for (const q of this.queues.get(PATHS[kind]) ?? []) q.push(ev);
  }

  async request(req: RestRequest): Promise<RestResponse> {
    this.lists.push(req.path);
    await this.gate;
    const items = [...(this.objs.get(req.path)?.values() ?? [])];
    return { status: 200, headers: {}, body: { items, metadata: { resourceVersion: String(this.rv) } } };
  }

  async watch(req: RestRequest): Promise<WatchStream | RestResponse> {
    const set = this.queues.get(req.path) ?? new Set();
    this.queues.set(req.path, set);
    const q: EventQueue = new EventQueue(10_000, () => stop());
    const stop = () => {
      set.delete(q);
      q.end();
    };
    set.add(q);
    return { events: q, stop };
  }

  openWatches(): number {
    let n = 0;
    for (const set of this.queues.values()) n += set.size;
    return n;
  }

  close(): void {
    for (const set of this.queues.values()) for (const q of set) q.end();
  }
}

async function ask(dns: ClusterDns, name: string, type = 'A'): Promise<{ rcode: string; answers: string[] }> {
  const res = packet.decode((await udp(dns.port, query(name, type)))!);
  return { rcode: rcodeOf(res), answers: (res.answers ?? []).map(rr) };
}

describe('ClusterDns', () => {
  it('lists, then follows watch events, and answers over UDP', async () => {
    const api = new FakeApi();
    api.put('namespaces', { metadata: { name: 'default' } });
    api.put('services', svc('default', 'web', { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }));
    api.put('slices', slice('default', 'web-abc', 'web', [{ ip: '10.244.1.5', hostname: 'web-0', ready: true }]));
    const { logger } = memoryLogger();
    const dns = new ClusterDns({ transport: api, logger, nameserverIP: '10.96.0.10' });
    await dns.start({ port: 0 });
    try {
      assert.ok(dns.port > 0);
      assert.deepEqual(await ask(dns, 'web-0.web.default.svc.cluster.local'), { rcode: 'NOERROR', answers: ['web-0.web.default.svc.cluster.local. 30 IN A 10.244.1.5'] });
      assert.equal((await ask(dns, 'api.default.svc.cluster.local')).rcode, 'NXDOMAIN');
      assert.deepEqual(api.lists.sort(), Object.values(PATHS).sort());

      api.put('services', svc('default', 'api', { clusterIP: '10.96.3.4', ports: [{ name: 'http', port: 80 }] }));
      await waitFor(async () => (await ask(dns, 'api.default.svc.cluster.local')).rcode === 'NOERROR', 'the new Service');
      assert.deepEqual((await ask(dns, 'api.default.svc.cluster.local')).answers, ['api.default.svc.cluster.local. 30 IN A 10.96.3.4']);

      api.put('slices', slice('default', 'web-abc', 'web', [{ ip: '10.244.1.5', hostname: 'web-0', ready: true }, { ip: '10.244.2.6', hostname: 'web-1', ready: true }]));
      await waitFor(async () => (await ask(dns, 'web-1.web.default.svc.cluster.local')).rcode === 'NOERROR', 'the updated slice');

      api.remove('slices', 'default', 'web-abc');
      await waitFor(async () => (await ask(dns, 'web.default.svc.cluster.local')).rcode === 'NXDOMAIN', 'the deleted slice');

      api.remove('namespaces', '', 'default');
      await waitFor(async () => (await ask(dns, 'api.default.svc.cluster.local')).rcode === 'NXDOMAIN', 'the deleted namespace');
    } finally {
      await dns.stop();
    }
    assert.equal(dns.port, 0);
    await dns.stop();
    await assert.rejects(dns.start(), /cluster DNS is stopped/);
  });

  it('serves unsynced after the sync timeout (SERVFAIL for unknown names), then NXDOMAIN once synced', async () => {
    const api = new FakeApi();
    const release = api.holdLists();
    const { logger, records } = memoryLogger();
    const dns = new ClusterDns({ transport: api, logger, syncTimeoutMs: 50 });
    await dns.start();
    try {
      assert.ok(records.some((r) => r.level === 'warn' && r.message === 'starting server with unsynced Kubernetes API'));
      assert.equal((await ask(dns, 'x.default.svc.cluster.local')).rcode, 'SERVFAIL');
      assert.equal((await ask(dns, 'example.com')).rcode, 'REFUSED');
      api.put('namespaces', { metadata: { name: 'default' } });
      release();
      await waitFor(async () => (await ask(dns, 'x.default.svc.cluster.local')).rcode === 'NXDOMAIN', 'the sync');
      assert.ok(dns.records.synced());
    } finally {
      await dns.stop();
    }
  });

  it('stops its informers when the port cannot be bound', async () => {
    const api = new FakeApi();
    const { logger } = memoryLogger();
    const a = new ClusterDns({ transport: api, logger });
    await a.start();
    await waitFor(() => api.openWatches() === 3, "the first component's three watches");
    const b = new ClusterDns({ transport: api, logger });
    try {
      await assert.rejects(b.start({ port: a.port }), /EADDRINUSE/);
      assert.equal(b.port, 0);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(api.openWatches(), 3, 'the failed component left no watch open');
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
