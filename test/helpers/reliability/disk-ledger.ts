/**
 * The writers of the disk-trouble scenario and their ledger of what the cluster acknowledged.
 *
 * `DiskWriters` runs `count` loops of ConfigMap creates, updates (PUT with the last acknowledged resourceVersion) and
 * deletes over HTTPS until stopped. Every answer is classified: 2xx = acknowledged (the ledger then holds the key's
 * exact state: resourceVersion and data, or "deleted"); a 5xx must be a well-formed Status and counts as refused (the
 * key's acknowledged state stays as it was: a refused write must have no effect, ever) — unless the refusal says
 * its outcome is unknown (the store could not remove the record after a failed fdatasync, as etcd would have crashed
 * there): such a write may take effect at the next start, whole; anything else (4xx, or a request that got no
 * answer) is a violation. `checkAgainst(list)` compares the ledger with the live objects.
 */
import type { HttpsTransport } from '../../../src/client/https-transport';
import { OUTCOME_UNKNOWN } from '../../../src/storage/sqljs/wal';
import { sleep } from '../wait';

export const NAMESPACE = 'default';
export const CM_PATH = `/api/v1/namespaces/${NAMESPACE}/configmaps`;
const PREFIX = 'dt-';

export interface Acked {
  rv: string;
  data: Record<string, string>;
}

/** A Status body as kube-apiserver sends it: kind Status, status Failure, a message and the HTTP code. */
export function isFailureStatus(body: unknown, code: number): body is { message: string; reason?: string; code: number } {
  const b = body as Record<string, unknown> | null;
  return !!b && typeof b === 'object' && b.kind === 'Status' && b.apiVersion === 'v1' && b.status === 'Failure' && b.code === code && typeof b.message === 'string';
}

export class DiskWriters {
  /** Key → its acknowledged state (null: acknowledged deleted). */
  readonly acked = new Map<string, Acked | null>();
  /** Keys whose create was refused and never acknowledged later: they must not exist. */
  readonly refusedCreates = new Set<string>();
  /** Key → the writes refused with an unknown outcome (data, or null for a delete): each may have taken effect. */
  readonly unknownOutcome = new Map<string, (Record<string, string> | null)[]>();
  acks = 0;
  refused = 0;
  /** Writes refused with an unknown outcome that did take effect (found by checkAgainst). */
  unknownApplied = 0;
  /** Messages of the refusals (the first few of each distinct text). */
  readonly refusals = new Map<string, number>();
  readonly violations: string[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private seq = 0;

  constructor(
    private readonly client: HttpsTransport,
    private readonly count: number,
    /** Pause after a refused write, so a failing store is not hammered. */
    private readonly backoffMs = 20,
  ) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.count }, (_, i) => this.loop(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(w: number): Promise<void> {
    const mine: string[] = [];
    while (this.running) {
      const live = mine.filter((k) => this.acked.get(k));
      const r = Math.random();
      if (live.length < 5 || r < 0.5) {
        const name = `${PREFIX}${w}-${this.seq++}`;
        const data = { v: String(this.seq), w: String(w) };
        const ok = await this.send('create', name, { method: 'POST', path: CM_PATH, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } }, data);
        mine.push(name);
        if (!ok && !this.acked.has(name)) this.refusedCreates.add(name);
      } else if (r < 0.85) {
        const name = live[Math.floor(Math.random() * live.length)];
        const prev = this.acked.get(name)!;
        const data = { ...prev.data, v: String(this.seq++) };
        await this.send('update', name, { method: 'PUT', path: `${CM_PATH}/${name}`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: prev.rv }, data } }, data);
      } else {
        const name = live[Math.floor(Math.random() * live.length)];
        await this.send('delete', name, { method: 'DELETE', path: `${CM_PATH}/${name}` }, null);
      }
    }
  }

  /** One write; true when acknowledged. */
  private async send(verb: string, name: string, req: Parameters<HttpsTransport['request']>[0], data: Record<string, string> | null): Promise<boolean> {
    let res;
    try {
      res = await this.client.request(req);
    } catch (e) {
      this.violations.push(`${verb} ${name}: no answer (${(e as Error).message})`);
      this.running = false;
      return false;
    }
    if (res.status >= 200 && res.status < 300) {
      this.acks++;
      if (data === null) this.acked.set(name, null);
      else {
        const rv = (res.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? '';
        this.acked.set(name, { rv, data });
        this.refusedCreates.delete(name);
      }
      return true;
    }
    if (res.status >= 500 && isFailureStatus(res.body, res.status)) {
      this.refused++;
      if (res.body.message.includes(OUTCOME_UNKNOWN)) {
        const list = this.unknownOutcome.get(name) ?? [];
        list.push(data);
        this.unknownOutcome.set(name, list);
      }
      const msg = `${res.status} ${res.body.reason ?? ''}: ${res.body.message}`;
      this.refusals.set(msg, (this.refusals.get(msg) ?? 0) + 1);
      await sleep(this.backoffMs);
      return false;
    }
    this.violations.push(`${verb} ${name}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return false;
  }

  /**
   * Compare the ledger with the objects now stored (name → rv and data): every acknowledged object exactly as
   * acknowledged, every acknowledged delete gone, no refused create present. Returns violations and the count lost.
   */
  checkAgainst(stored: Map<string, Acked>): { lost: number; violations: string[] } {
    const violations: string[] = [];
    let lost = 0;
    // A write refused with an unknown outcome may explain the stored state (its resourceVersion was never told).
    const unknownExplains = (name: string, got: Acked | undefined) =>
      (this.unknownOutcome.get(name) ?? []).some((d) => (d === null ? !got : !!got && canonical(got.data) === canonical(d)));
    for (const [name, want] of this.acked) {
      const got = stored.get(name);
      if (unknownExplains(name, got)) {
        this.unknownApplied++;
        continue;
      }
      if (want === null) {
        if (got) violations.push(`${name}: deleted (acknowledged) but present at ${got.rv}`);
        continue;
      }
      if (!got || got.rv !== want.rv || canonical(got.data) !== canonical(want.data)) {
        lost++;
        violations.push(`${name}: acknowledged at ${want.rv} ${JSON.stringify(want.data)}, stored ${got ? `${got.rv} ${JSON.stringify(got.data)}` : 'nothing'}`);
      }
    }
    for (const name of this.refusedCreates) {
      if (!stored.has(name)) continue;
      if (unknownExplains(name, stored.get(name))) this.unknownApplied++;
      else violations.push(`${name}: its create was refused but it exists`);
    }
    for (const name of stored.keys()) if (!this.acked.has(name) && !this.refusedCreates.has(name)) violations.push(`${name}: stored but never written`);
    return { lost, violations };
  }
}

const canonical = (d: Record<string, string>) => JSON.stringify(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The scenario's ConfigMaps as stored now (name → rv and data). Throws on a non-200 answer. */
export async function listStored(client: HttpsTransport): Promise<Map<string, Acked>> {
  const res = await client.request({ method: 'GET', path: CM_PATH });
  if (res.status !== 200) throw new Error(`LIST configmaps: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  const out = new Map<string, Acked>();
  for (const item of (res.body as { items: { metadata: { name: string; resourceVersion: string }; data?: Record<string, string> }[] }).items) {
    if (item.metadata.name.startsWith(PREFIX)) out.set(item.metadata.name, { rv: item.metadata.resourceVersion, data: item.data ?? {} });
  }
  return out;
}
