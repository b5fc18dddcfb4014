/** Assertions and recorders shared by the storage tests (implementation-neutral: only the Store interface). */
import * as assert from 'node:assert/strict';
import { StoreError, type StoreErrorCode, type WatchBatch, type WatchCallbacks, type WatchCancel, type WatchEvent } from '../../src/storage/store';
import { waitFor } from './wait';

/** Await `p` and assert it rejects with a StoreError of `code` (and, if given, compactRevision / message parts). */
export async function rejectsWith(
  p: Promise<unknown>,
  code: StoreErrorCode,
  more: { compactRevision?: number; messageIncludes?: (string | RegExp)[] } = {},
): Promise<StoreError> {
  let err: unknown;
  try {
    const v = await p;
    assert.fail(`expected StoreError '${code}', but the call resolved with ${JSON.stringify(v)?.slice(0, 300)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  assert.ok(err instanceof StoreError, `expected a StoreError '${code}', got ${String(err)}`);
  assert.equal(err.code, code, `wrong error code (message: ${err.message})`);
  if (more.compactRevision !== undefined) assert.equal(err.compactRevision, more.compactRevision, 'compactRevision of the error');
  for (const part of more.messageIncludes ?? []) {
    if (typeof part === 'string') assert.ok(err.message.includes(part), `error message ${JSON.stringify(err.message)} should contain ${JSON.stringify(part)}`);
    else assert.match(err.message, part);
  }
  return err;
}

/** Drop properties whose value is undefined (recursively), so optional-field absence compares equal. */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = clean(x);
    return out as T;
  }
  return v;
}

/** Records everything a watch delivers and checks the batch invariants as it goes. */
export class WatchRecorder implements WatchCallbacks {
  readonly batches: WatchBatch[] = [];
  readonly events: WatchEvent[] = [];
  readonly cancels: WatchCancel[] = [];
  /** Violations of the delivery invariants (checked by assertHealthy). */
  readonly problems: string[] = [];
  private lastRevision = 0;
  private lastEventRevision = 0;

  constructor(private readonly onEachBatch?: (b: WatchBatch) => void | Promise<void>) {}

  onBatch = (b: WatchBatch): void | Promise<void> => {
    if (this.cancels.length) this.problems.push(`batch at ${b.revision} after onCancel`);
    if (typeof b.revision !== 'number' || !Array.isArray(b.events)) this.problems.push(`malformed batch ${JSON.stringify(b)}`);
    if (b.revision < this.lastRevision) this.problems.push(`batch revision went back from ${this.lastRevision} to ${b.revision}`);
    for (const e of b.events) {
      if (e.kv.modRevision > b.revision) this.problems.push(`event at ${e.kv.modRevision} in a batch for revision ${b.revision}`);
      if (e.kv.modRevision < this.lastEventRevision) this.problems.push(`event revision went back from ${this.lastEventRevision} to ${e.kv.modRevision}`);
      this.lastEventRevision = e.kv.modRevision;
    }
    this.lastRevision = Math.max(this.lastRevision, b.revision);
    this.batches.push(b);
    this.events.push(...b.events);
    return this.onEachBatch?.(b);
  };

  onCancel = (c: WatchCancel): void => {
    if (this.cancels.length) this.problems.push(`onCancel called twice (${JSON.stringify(this.cancels[0])}, then ${JSON.stringify(c)})`);
    this.cancels.push(c);
  };

  /** Progress notifications received (batches without events). */
  get progress(): WatchBatch[] {
    return this.batches.filter((b) => b.events.length === 0);
  }

  /** Highest revision the watcher has been brought up to. */
  get revision(): number {
    return this.lastRevision;
  }

  async waitEvents(n: number, timeoutMs = 3000): Promise<WatchEvent[]> {
    await waitFor(() => this.events.length >= n || this.cancels.length > 0, `${n} watch events`, {
      timeoutMs,
      describe: () => ({ got: this.events.length, cancels: this.cancels }),
    });
    assert.equal(this.cancels.length, 0, `watch was cancelled: ${JSON.stringify(this.cancels[0])}`);
    return this.events;
  }

  async waitRevision(rev: number, timeoutMs = 3000): Promise<void> {
    await waitFor(() => this.lastRevision >= rev || this.cancels.length > 0, `watch to reach revision ${rev}`, {
      timeoutMs,
      describe: () => ({ at: this.lastRevision, events: this.events.length, cancels: this.cancels }),
    });
    assert.equal(this.cancels.length, 0, `watch was cancelled: ${JSON.stringify(this.cancels[0])}`);
  }

  async waitCancel(timeoutMs = 3000): Promise<WatchCancel> {
    await waitFor(() => this.cancels.length > 0, 'the watch to be cancelled', { timeoutMs, describe: () => ({ events: this.events.length }) });
    return this.cancels[0];
  }

  assertHealthy(): void {
    assert.deepEqual(this.problems, [], 'watch delivery invariants');
  }
}

/** A compact, comparable form of watch events: [type, key, modRevision, value]. */
export const brief = (events: WatchEvent[]): [string, string, number, string][] => events.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.kv.value]);
