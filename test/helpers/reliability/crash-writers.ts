/**
 * The client load of the crash scenario: `runWriters` runs one closed loop per client over HTTPS, each client owning
 * its own objects (so one write is in flight per object at a time) and doing what kubectl does to them — create
 * (POST), update (PUT with the resourceVersion it last saw), JSON merge patch, strategic merge patch and delete — on
 * ConfigMaps and Secrets. Every write carries a unique write id in `data.wid` (deletes carry none) and is recorded in
 * the object's history BEFORE it is sent; its outcome follows the answer (see crash-history.ts). A client stops at
 * the first write without an answer (the cluster was killed) and sends nothing once `stopped()` is true.
 */
import type { RestRequest, RestResponse, Transport } from '../../../src/client/transport';
import type { Data, Observed, ObjectHistory, Write } from './crash-history';

export const CRASH_LABEL = 'kubelab.dev/reliability';

export type CrashResource = 'configmaps' | 'secrets';

/** The objects of client `c`: `objectsPerClient` names, every fourth one a Secret. */
export function clientObjects(c: number, objectsPerClient: number): { resource: CrashResource; name: string; key: string }[] {
  return Array.from({ length: objectsPerClient }, (_, i) => {
    const resource: CrashResource = (c + i) % 4 === 0 ? 'secrets' : 'configmaps';
    const name = `w${String(c).padStart(2, '0')}-${i}`;
    return { resource, name, key: `${resource}/${name}` };
  });
}

export interface WritersOptions {
  namespace: string;
  round: number;
  clients: number;
  objectsPerClient: number;
  /** The verified state of every object when the round starts; updated as writes are acknowledged. */
  state: Map<string, Observed>;
  /** Where writes are recorded (one history per object key, created by the caller). */
  histories: Map<string, ObjectHistory>;
  stopped: () => boolean;
  rand: () => number;
}

const KIND: Record<CrashResource, string> = { configmaps: 'ConfigMap', secrets: 'Secret' };
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function text(rand: () => number, min: number, max: number): string {
  const n = min + Math.floor(rand() * (max - min));
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

/** One write's request and the data it leads to. */
function plan(resource: CrashResource, name: string, ns: string, cur: Observed, wid: string, rand: () => number): { write: Write; req: RestRequest } {
  const enc = (s: string) => (resource === 'secrets' ? Buffer.from(s).toString('base64') : s);
  const path = `/api/v1/namespaces/${ns}/${resource}`;
  const fresh = (): Data => ({ wid: enc(wid), p: enc(text(rand, 16, 512)) });
  const object = (data: Data, rv?: string) => ({ apiVersion: 'v1', kind: KIND[resource], metadata: { name, labels: { [CRASH_LABEL]: 'crash' }, ...(rv ? { resourceVersion: rv } : {}) }, data });
  if (cur === null) {
    const data = fresh();
    return { write: { wid, verb: 'create', intended: data, outcome: 'unknown' }, req: { method: 'POST', path, body: object(data) } };
  }
  const r = rand();
  if (r < 0.15) return { write: { wid, verb: 'delete', intended: null, outcome: 'unknown' }, req: { method: 'DELETE', path: `${path}/${name}` } };
  if (r < 0.45) {
    const data = { ...fresh(), ...(rand() < 0.5 ? { [`e${Math.floor(rand() * 3)}`]: enc(text(rand, 4, 32)) } : {}) };
    return { write: { wid, verb: 'update', intended: data, outcome: 'unknown' }, req: { method: 'PUT', path: `${path}/${name}`, body: object(data, cur.rv) } };
  }
  // a patch sets wid and p and adds or removes one extra key, leaving the rest as it is
  const extra = `e${Math.floor(rand() * 3)}`;
  const patch: Record<string, string | null> = { ...fresh(), [extra]: extra in cur.data ? null : enc(text(rand, 4, 32)) };
  const data: Data = { ...cur.data };
  for (const [k, v] of Object.entries(patch)) if (v === null) delete data[k];
  else data[k] = v;
  const strategic = r < 0.7;
  return {
    write: { wid, verb: strategic ? 'strategic-patch' : 'merge-patch', intended: data, outcome: 'unknown' },
    req: { method: 'PATCH', path: `${path}/${name}`, contentType: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json', body: { data: patch } },
  };
}

const rvOf = (res: RestResponse): string | undefined => ((res.body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion);
const messageOf = (res: RestResponse): string => ((res.body as { message?: string } | undefined)?.message ?? String(res.body).slice(0, 200));

/** GET one object as `Observed`; undefined when there was no answer. */
export async function observe(t: Transport, ns: string, key: string): Promise<Observed | undefined> {
  let res: RestResponse;
  try {
    res = await t.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/${key}` });
  } catch {
    return undefined;
  }
  if (res.status === 404) return null;
  if (res.status !== 200) return undefined;
  const o = res.body as { metadata: { resourceVersion: string }; data?: Data };
  return { rv: o.metadata.resourceVersion, data: o.data ?? {} };
}

async function client(t: Transport, c: number, o: WritersOptions): Promise<void> {
  const mine = clientObjects(c, o.objectsPerClient);
  let seq = 0;
  while (!o.stopped()) {
    const obj = mine[Math.floor(o.rand() * mine.length)];
    const cur = o.state.get(obj.key) ?? null;
    const { write, req } = plan(obj.resource, obj.name, o.namespace, cur, `r${o.round}-c${c}-${seq++}`, o.rand);
    o.histories.get(obj.key)!.writes.push(write);
    let res: RestResponse;
    try {
      res = await t.request(req);
    } catch (e) {
      write.detail = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      return;
    }
    if (res.status >= 200 && res.status < 300) {
      write.outcome = 'acked';
      if (write.intended === null) o.state.set(obj.key, null);
      else {
        write.rv = rvOf(res);
        o.state.set(obj.key, { rv: write.rv ?? '', data: write.intended });
      }
    } else if (res.status >= 500 || res.status === 0) {
      write.detail = `${res.status} ${messageOf(res)}`;
      return;
    } else {
      write.outcome = 'rejected';
      write.detail = `${res.status} ${messageOf(res)}`;
      const now = await observe(t, o.namespace, obj.key);
      if (now === undefined) return;
      o.state.set(obj.key, now);
    }
  }
}

/** Runs the clients until each has stopped (see the file comment). */
export async function runWriters(t: Transport, o: WritersOptions): Promise<void> {
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(t, c, o)));
}
