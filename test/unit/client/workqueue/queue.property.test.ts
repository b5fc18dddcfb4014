/**
 * Model-based property test: random sequences of add / get / done / addAfter / clock advance / shutDown run against
 * the WorkQueue and against a tiny model of upstream's queue (dirty set, processing set, FIFO, earliest-deadline
 * waiting room). After every step: each getter received what the model says, len() and idle() agree, and no key is
 * ever handed out while a previous hand-out of it is not done() (checked independently of the model).
 *
 * Reproduce a failure with FC_SEED=<seed> (and FC_PATH=<path>) from the failure report.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FakeClock } from '../../../../src/base/clock';
import { WorkQueue } from '../../../../src/client/workqueue';
import { flush, track, type Tracked } from './harness';

type Op =
  | { op: 'add'; key: string }
  | { op: 'get' }
  | { op: 'done'; pick: number }
  | { op: 'addAfter'; key: string; ms: number }
  | { op: 'advance'; ms: number }
  | { op: 'shutDown' };

const key = fc.constantFrom('a', 'b', 'c', 'd');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: key.map((k) => ({ op: 'add' as const, key: k })) },
  { weight: 5, arbitrary: fc.constant({ op: 'get' as const }) },
  { weight: 4, arbitrary: fc.nat(9).map((pick) => ({ op: 'done' as const, pick })) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('addAfter' as const), key, ms: fc.integer({ min: -5, max: 40 }) }),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 30 }).map((ms) => ({ op: 'advance' as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ op: 'shutDown' as const }) },
);

/** The reference: upstream's Add/Get/Done/ShutDown and the delaying queue's earliest-deadline insert. */
class Model {
  now = 0;
  shut = false;
  queue: string[] = [];
  dirty = new Set<string>();
  processing = new Set<string>();
  getters: number[] = []; // ids of waiting getters
  delivered = new Map<number, string | undefined>();
  waiting = new Map<string, { at: number; seq: number }>();
  seq = 0;

  add(k: string): void {
    if (this.shut || this.dirty.has(k)) return;
    this.dirty.add(k);
    if (this.processing.has(k)) return;
    this.queue.push(k);
    this.dispatch();
  }
  get(id: number): void {
    if (this.queue.length > 0) this.delivered.set(id, this.take());
    else if (this.shut) this.delivered.set(id, undefined);
    else this.getters.push(id);
  }
  done(k: string): void {
    if (!this.processing.delete(k)) return;
    if (this.dirty.has(k)) {
      this.queue.push(k);
      this.dispatch();
    }
  }
  addAfter(k: string, ms: number): void {
    if (this.shut) return;
    if (ms <= 0) return this.add(k);
    const prev = this.waiting.get(k);
    if (prev && prev.at <= this.now + ms) return;
    this.waiting.set(k, { at: this.now + ms, seq: prev?.seq ?? ++this.seq });
  }
  advance(ms: number): void {
    this.now += ms;
    const due = [...this.waiting]
      .filter(([, w]) => w.at <= this.now)
      .sort(([, x], [, y]) => x.at - y.at || x.seq - y.seq);
    for (const [k] of due) {
      this.waiting.delete(k);
      this.add(k);
    }
  }
  shutDown(): void {
    this.shut = true;
    this.waiting.clear();
    for (const id of this.getters.splice(0)) this.delivered.set(id, undefined);
  }
  private dispatch(): void {
    while (this.getters.length > 0 && this.queue.length > 0) this.delivered.set(this.getters.shift()!, this.take());
  }
  private take(): string {
    const k = this.queue.shift()!;
    this.dirty.delete(k);
    this.processing.add(k);
    return k;
  }
}

async function run(ops: Op[]): Promise<void> {
  const clock = new FakeClock(0);
  const q = new WorkQueue({ name: 'prop', clock });
  const model = new Model();
  const getters = new Map<number, Tracked<string | undefined>>();
  const seen = new Set<number>(); // getters whose delivery was already checked
  const held = new Set<string>(); // keys handed out and not yet done(), as the workers see it
  let nextId = 0;

  for (const [step, o] of ops.entries()) {
    const where = `step ${step} ${JSON.stringify(o)}`;
    switch (o.op) {
      case 'add':
        q.add(o.key);
        model.add(o.key);
        break;
      case 'get': {
        const id = nextId++;
        getters.set(id, track(q.get()));
        model.get(id);
        break;
      }
      case 'done': {
        // Mostly a key really being processed; sometimes one that is not (must be ignored).
        const candidates = [...held, 'a', 'b'];
        const k = candidates[o.pick % candidates.length]!;
        held.delete(k);
        q.done(k);
        model.done(k);
        break;
      }
      case 'addAfter':
        q.addAfter(o.key, o.ms);
        model.addAfter(o.key, o.ms);
        break;
      case 'advance':
        clock.advance(o.ms);
        model.advance(o.ms);
        break;
      case 'shutDown':
        q.shutDown();
        model.shutDown();
        break;
    }
    const idle = track(q.idle());
    await flush();

    for (const [id, g] of getters) {
      if (seen.has(id)) continue;
      assert.equal(g.settled, model.delivered.has(id), `${where}: getter ${id} settled`);
      if (!g.settled) continue;
      seen.add(id);
      assert.equal(g.value, model.delivered.get(id), `${where}: getter ${id} value`);
      if (g.value !== undefined) {
        assert.ok(!held.has(g.value), `${where}: ${g.value} handed out while still being processed`);
        held.add(g.value);
      }
    }
    assert.equal(q.len(), model.queue.length, `${where}: len`);
    assert.equal(q.delayedLen(), model.waiting.size, `${where}: delayedLen`);
    assert.equal(q.shuttingDown(), model.shut, `${where}: shuttingDown`);
    assert.equal(idle.settled, model.queue.length === 0 && model.processing.size === 0, `${where}: idle`);
  }
}

describe('WorkQueue against a model of upstream', () => {
  it('agrees on every hand-out and never hands a key to two workers at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => run(ops)),
      { numRuns: 300 },
    );
  });

  it('finds a broken queue (the harness can fail)', async () => {
    // A queue whose done() forgets the dirty re-add loses the second delivery; the model must notice.
    const broken = WorkQueue.prototype.done;
    WorkQueue.prototype.done = function (this: WorkQueue, k: string) {
      const self = this as unknown as { dirty: Set<string> };
      self.dirty.delete(k);
      broken.call(this, k);
    };
    try {
      const ops: Op[] = [{ op: 'add', key: 'a' }, { op: 'get' }, { op: 'add', key: 'a' }, { op: 'done', pick: 0 }];
      await assert.rejects(run([...ops, { op: 'get' }]));
    } finally {
      WorkQueue.prototype.done = broken;
    }
  });
});
