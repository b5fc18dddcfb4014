/**
 * One watch on the pods of a namespace for a whole scenario, as a client-go reflector keeps it: list, then watch from
 * the list's resourceVersion with bookmarks; when the server ends the stream, watch again from the last
 * resourceVersion seen (`resumes`); when that version is too old (410 Gone, as a response or an ERROR event), list
 * again (`relists`) and hand over what changed meanwhile as synthesized events (MODIFIED for every listed pod,
 * DELETED for every known pod missing from the list), so a consumer never misses a deletion. `onEvent(ev, atMs)` gets
 * every event with the time it was seen (ms since `t0`). Each watch asks the server to end it after
 * `timeoutSeconds` (client-go's reflector asks for 5–10 min; a scenario asks for less so that resuming is exercised).
 * `differsFromList()` compares what the events built up with a fresh list (uids and resourceVersions): a missed
 * event shows there. `stop()` ends the loop and resolves once it has.
 */
import { performance } from 'node:perf_hooks';
import { isWatchStream, type Transport, type WatchEvent } from '../../../src/client/transport';
import { sleep } from '../wait';

type Obj = Record<string, unknown>;

const meta = (o: Obj) => (o.metadata ?? {}) as Obj;

export class ResumablePodWatch {
  resumes = 0;
  relists = 0;
  /** Problems other than the expected 410 (stated, not thrown: the scenario reports them). */
  readonly errors: string[] = [];
  private rv = '';
  private stopped = false;
  private stopStream: (() => void) | undefined;
  private readonly known = new Map<string, Obj>();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly t: Transport,
    private readonly namespace: string,
    private readonly onEvent: (ev: WatchEvent, atMs: number) => void,
    private readonly t0 = performance.now(),
    private readonly timeoutSeconds = 30,
  ) {}

  private emit(ev: WatchEvent): void {
    const uid = String(meta(ev.object).uid ?? '');
    if (ev.type === 'DELETED') this.known.delete(uid);
    else this.known.set(uid, ev.object);
    this.onEvent(ev, performance.now() - this.t0);
  }

  private async list(): Promise<void> {
    const res = await this.t.request({ method: 'GET', path: `/api/v1/namespaces/${this.namespace}/pods` });
    if (res.status !== 200) throw new Error(`listing pods: HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    const body = res.body as { metadata: { resourceVersion: string }; items: Obj[] };
    const seen = new Set<string>();
    for (const item of body.items) {
      seen.add(String(meta(item).uid));
      this.emit({ type: this.known.has(String(meta(item).uid)) ? 'MODIFIED' : 'ADDED', object: item });
    }
    for (const [uid, obj] of [...this.known]) if (!seen.has(uid)) this.emit({ type: 'DELETED', object: obj });
    this.rv = body.metadata.resourceVersion;
  }

  /** Lists, then keeps watching until stop(). Resolves after the first list. */
  async start(): Promise<void> {
    await this.list();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let gone = false;
      try {
        const w = await this.t.watch({ method: 'GET', path: `/api/v1/namespaces/${this.namespace}/pods`, query: { resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds: this.timeoutSeconds } });
        if (!isWatchStream(w)) {
          if (w.status !== 410) this.errors.push(`watch answered HTTP ${w.status}: ${JSON.stringify(w.body).slice(0, 300)}`);
          gone = true;
        } else {
          this.stopStream = w.stop;
          if (this.stopped) w.stop();
          for await (const ev of w.events) {
            if (ev.type === 'ERROR') {
              if (ev.object.code !== 410) this.errors.push(`watch ERROR event: ${JSON.stringify(ev.object).slice(0, 300)}`);
              gone = true;
              w.stop();
              break;
            }
            const rv = meta(ev.object).resourceVersion;
            if (typeof rv === 'string' && rv) this.rv = rv;
            if (ev.type !== 'BOOKMARK') this.emit(ev);
          }
          this.stopStream = undefined;
        }
      } catch (e) {
        if (!this.stopped) this.errors.push(`watch failed: ${(e as Error).message}`);
        gone = true;
      }
      if (this.stopped) break;
      if (gone) {
        this.relists++;
        await sleep(200);
        await this.list().catch((e: Error) => this.errors.push(e.message));
      } else {
        this.resumes++;
      }
    }
  }

  /** undefined when the watched state equals a fresh list (retried a few times while things settle), else how not. */
  async differsFromList(tries = 5): Promise<string | undefined> {
    let diff = '';
    for (let i = 0; i < tries; i++) {
      const res = await this.t.request({ method: 'GET', path: `/api/v1/namespaces/${this.namespace}/pods` });
      const listed = new Map(((res.body as { items: Obj[] }).items ?? []).map((p) => [String(meta(p).uid), String(meta(p).resourceVersion)]));
      const watched = new Map([...this.known].map(([uid, p]) => [uid, String(meta(p).resourceVersion)]));
      const problems = [...listed].filter(([uid, rv]) => watched.get(uid) !== rv).map(([uid, rv]) => `pod uid ${uid} listed at rv ${rv}, watched ${watched.has(uid) ? `at rv ${watched.get(uid)}` : 'never'}`);
      problems.push(...[...watched.keys()].filter((uid) => !listed.has(uid)).map((uid) => `pod uid ${uid} watched, not listed`));
      if (!problems.length) return undefined;
      diff = problems.join('; ');
      await sleep(1000);
    }
    return `the pod watch differs from a list: ${diff}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopStream?.();
    await this.loop;
  }
}
