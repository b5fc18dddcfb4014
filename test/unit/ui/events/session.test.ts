/**
 * The host side of the panel: batching (≤ 100 ms), the ready handshake, hide/show, viewports, settings, ticks, and
 * the untrusted messages it must ignore. Timers and the clock are fakes.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, PROTOCOL_VERSION, type ExtensionToWebview, type ObjectRef, type PanelSettings } from '../../../../src/ui/events/protocol';
import { PanelSession, type PanelHost } from '../../../../src/ui/events/session';
import { NOW, SEC, ago, event, pod } from './fixtures';

class FakeHost implements PanelHost {
  posted: ExtensionToWebview[] = [];
  revealed: ObjectRef[] = [];
  opened: string[] = [];
  saved: PanelSettings[] = [];
  logs: string[] = [];
  nowMs = NOW;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  post(m: ExtensionToWebview) {
    this.posted.push(structuredClone(m));
  }
  now() {
    return this.nowMs;
  }
  setTimer(fn: () => void, ms: number) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + ms, fn });
    return id;
  }
  clearTimer(h: unknown) {
    this.timers.delete(h as number);
  }
  reveal(ref: ObjectRef) {
    this.revealed.push(ref);
  }
  openRegistry(key: string) {
    this.opened.push(key);
  }
  registryKey(ref: ObjectRef) {
    return `/registry/${ref.kind.toLowerCase()}s/${ref.namespace}/${ref.name}`;
  }
  settingsChanged(s: PanelSettings) {
    this.saved.push(s);
  }
  log(m: string) {
    this.logs.push(m);
  }
  /** Advances the clock, running due timers in order. */
  advance(ms: number) {
    const end = this.nowMs + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.nowMs = due[1].at;
      due[1].fn();
    }
    this.nowMs = end;
  }
  pendingTimers() {
    return this.timers.size;
  }
  take(): ExtensionToWebview[] {
    const p = this.posted;
    this.posted = [];
    return p;
  }
}

const v = PROTOCOL_VERSION;
const types = (ms: ExtensionToWebview[]) => ms.map((m) => m.type);

function started(opts: ConstructorParameters<typeof PanelSession>[1] = {}) {
  const host = new FakeHost();
  const session = new PanelSession(host, opts);
  return { host, session };
}

describe('PanelSession', () => {
  it('posts nothing before ready, then a snapshot of everything held', () => {
    const { host, session } = started();
    session.dispatch({ type: 'events', upserts: [event({ uid: 'a', reason: 'Scheduled', first: ago(5 * SEC) })] });
    host.advance(200);
    assert.deepEqual(host.posted, []);
    assert.ok(session.receive({ type: 'ready', v }));
    const [snap] = host.take();
    assert.equal(snap?.type, 'snapshot');
    if (snap?.type !== 'snapshot') return;
    assert.deepEqual(snap.settings, DEFAULT_SETTINGS);
    assert.equal(snap.events.total, 1);
    assert.equal(snap.events.rows[0]!.lastSeen, '5s');
    assert.equal(snap.events.rows[0]!.registryKey, '/registry/pods/default/web');
    assert.deepEqual(snap.status, { paused: false, buffered: 0, eventCount: 1, podCount: 0 });
  });

  it('batches updates: one post per table per flush, at most 100 ms after the first', () => {
    const { host, session } = started({ flushMs: 500 });
    session.receive({ type: 'ready', v });
    host.take();
    for (let i = 0; i < 1000; i++) session.dispatch({ type: 'events', upserts: [event({ uid: `e${i}`, reason: 'Pulled', first: ago(SEC) })] });
    session.dispatch({ type: 'pods', upserts: [pod({ name: 'p' })] });
    host.advance(99);
    assert.deepEqual(host.posted, [], 'nothing before the flush');
    host.advance(1);
    const posted = host.take();
    assert.deepEqual(types(posted).sort(), ['events', 'pods', 'status']);
    const ev = posted.find((m) => m.type === 'events');
    assert.equal(ev?.type === 'events' && ev.window.total, 1000);
    assert.ok(ev?.type === 'events' && ev.window.rows.length < 200, 'only a window of rows crosses');
  });

  it('answers a viewport with the rows it shows (follow = the newest rows)', () => {
    const { host, session } = started();
    session.receive({ type: 'ready', v });
    session.dispatch({ type: 'events', upserts: Array.from({ length: 500 }, (_, i) => event({ uid: `e${i}`, reason: 'Pulled', first: ago((600 - i) * SEC) })) });
    session.flush();
    host.take();
    session.receive({ type: 'viewport', v, tab: 'events', scrollTop: 100 * 22, height: 10 * 22, follow: false });
    const [m] = host.take();
    assert.equal(m?.type, 'events');
    if (m?.type !== 'events') return;
    assert.ok(m.window.first <= 100 && m.window.first + m.window.rows.length >= 110);
    session.receive({ type: 'viewport', v, tab: 'events', scrollTop: 0, height: 10 * 22, follow: true });
    const [f] = host.take();
    assert.ok(f?.type === 'events' && f.window.first + f.window.rows.length === 500);
  });

  it('applies settings from the webview at once, reports them, and posts the filtered rows', () => {
    const { host, session } = started();
    session.receive({ type: 'ready', v });
    session.dispatch({ type: 'events', upserts: [event({ uid: 'n', reason: 'Pulled' }), event({ uid: 'w', type: 'Warning', reason: 'BackOff' })] });
    session.flush();
    host.take();
    const settings: PanelSettings = { tab: 'events', paused: false, filters: { namespace: '', kind: '', text: '', warningsOnly: true } };
    session.receive({ type: 'setState', v, settings });
    assert.deepEqual(host.saved, [settings]);
    const ev = host.take().find((m) => m.type === 'events');
    assert.deepEqual(ev?.type === 'events' && ev.window.rows.map((r) => r.key), ['w']);
  });

  it('pause buffers (status says how much), resume shows it', () => {
    const { host, session } = started();
    session.receive({ type: 'ready', v });
    host.take();
    session.receive({ type: 'setState', v, settings: { ...DEFAULT_SETTINGS, paused: true } });
    host.take();
    session.dispatch({ type: 'events', upserts: [event({ uid: 'a', reason: 'X' })] });
    host.advance(100);
    const posted = host.take();
    assert.deepEqual(types(posted), ['status']);
    assert.equal(posted[0]?.type === 'status' && posted[0].status.buffered, 1);
    session.receive({ type: 'setState', v, settings: { ...DEFAULT_SETTINGS, paused: false } });
    const ev = host.take().find((m) => m.type === 'events');
    assert.equal(ev?.type === 'events' && ev.window.total, 1);
  });

  it('keeps its state across hide/show and a new webview: snapshot again, nothing while hidden', () => {
    const { host, session } = started();
    session.receive({ type: 'ready', v });
    host.take();
    session.setVisible(false);
    session.dispatch({ type: 'events', upserts: [event({ uid: 'a', reason: 'X' })] });
    host.advance(5000);
    assert.deepEqual(host.posted, [], 'nothing is posted while hidden, no ticks either');
    session.setVisible(true);
    const [snap] = host.take();
    assert.ok(snap?.type === 'snapshot' && snap.events.total === 1);
    // The webview is disposed and recreated: it restores its saved settings and says ready again.
    session.detach();
    session.dispatch({ type: 'events', upserts: [event({ uid: 'b', reason: 'Y' })] });
    host.advance(100);
    assert.deepEqual(host.posted, []);
    const restored: PanelSettings = { tab: 'pods', paused: false, filters: { namespace: 'default', kind: '', text: '', warningsOnly: false } };
    session.receive({ type: 'ready', v, settings: restored });
    const [again] = host.take();
    assert.ok(again?.type === 'snapshot');
    if (again?.type !== 'snapshot') return;
    assert.deepEqual(again.settings, restored);
    assert.equal(again.events.total, 2);
  });

  it('re-posts the active table every second so ages stay live', () => {
    const { host, session } = started();
    session.dispatch({ type: 'events', upserts: [event({ uid: 'a', reason: 'X', first: ago(0) })] });
    session.receive({ type: 'ready', v });
    host.take();
    host.advance(3000);
    const ticks = host.take().filter((m) => m.type === 'events');
    assert.deepEqual(ticks.map((m) => m.type === 'events' && m.window.rows[0]!.lastSeen), ['1s', '2s', '3s']);
  });

  it('posts the timeline when it changes', () => {
    const { host, session } = started();
    session.receive({ type: 'ready', v });
    host.take();
    session.dispatch({ type: 'events', upserts: [event({ uid: 's', kind: 'Deployment', name: 'web', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-1 to 1' })] });
    session.flush();
    const tl = host.take().find((m) => m.type === 'timeline');
    assert.ok(tl?.type === 'timeline' && tl.timeline?.deployment.name === 'web');
    session.dispatch({ type: 'events', upserts: [event({ uid: 'other', reason: 'Pulled' })] });
    session.flush();
    assert.ok(!host.take().some((m) => m.type === 'timeline'), 'unchanged timeline is not posted again');
  });

  it('forwards reveal and openRegistry; ignores malformed and other-version messages', () => {
    const { host, session } = started();
    const ref = { kind: 'Pod', namespace: 'default', name: 'web' };
    assert.ok(session.receive({ type: 'reveal', v, ref }));
    assert.ok(session.receive({ type: 'openRegistry', v, key: '/registry/pods/default/web' }));
    assert.deepEqual(host.revealed, [ref]);
    assert.deepEqual(host.opened, ['/registry/pods/default/web']);
    for (const bad of [
      null,
      'ready',
      { type: 'ready', v: v + 1 },
      { type: 'reveal', v, ref: { kind: 'Pod' } },
      { type: 'openRegistry', v, key: 'relative' },
      { type: 'viewport', v, tab: 'nodes', scrollTop: 0, height: 1, follow: false },
      { type: 'setState', v, settings: { tab: 'events', paused: 'no', filters: {} } },
      { type: 'exec', v },
    ]) {
      assert.equal(session.receive(bad), false, JSON.stringify(bad));
    }
    assert.equal(host.logs.length, 8);
  });

  it('dispose stops every timer and ignores later input', () => {
    const { host, session } = started();
    session.receive({ type: 'ready', v });
    session.dispatch({ type: 'events', upserts: [event({ uid: 'a', reason: 'X' })] });
    session.dispose();
    assert.equal(host.pendingTimers(), 0);
    session.dispatch({ type: 'events', upserts: [event({ uid: 'b', reason: 'X' })] });
    assert.equal(host.pendingTimers(), 0);
  });
});
