/**
 * Virtualization: which rows a scroll position shows (fixed row height, overscan, follow), and that a window of rows
 * is exactly that slice of the filtered table, clamped to it.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROW_HEIGHT_PX } from '../../../../src/ui/events/protocol';
import { initialPanelState, reducePanel } from '../../../../src/ui/events/reducer';
import { panelStatus, rowCount, rowsInWindow, windowForScroll } from '../../../../src/ui/events/view-model';
import { NOW, SEC, ago, event, pod } from './fixtures';

describe('windowForScroll', () => {
  const H = 20;
  // [scrollTop, height, total, overscan, follow] → [first, count]
  const cases: [string, number, number, number, number, boolean, [number, number]][] = [
    ['top of a long table', 0, 200, 1000, 5, false, [0, 21]], // visible = ceil(200/20)+1 = 11; 11 + 5 below (none above)
    ['middle', 2000, 200, 1000, 5, false, [95, 21]],
    ['partial row at the top', 2010, 200, 1000, 5, false, [95, 21]],
    ['near the end: the last screenful and the overscan above it', 19_900, 200, 1000, 5, false, [984, 16]],
    ['scrolled past the end (stale scrollTop after a filter)', 1e6, 200, 1000, 5, false, [984, 16]],
    ['table shorter than the viewport', 0, 200, 4, 5, false, [0, 4]],
    ['empty table', 500, 200, 0, 5, false, [0, 0]],
    ['follow shows the last rows whatever scrollTop says', 0, 200, 1000, 5, true, [984, 16]],
    ['follow on a short table', 0, 200, 3, 5, true, [0, 3]],
    ['zero height still shows a row', 0, 0, 10, 0, false, [0, 1]],
    ['negative scrollTop (overscroll)', -50, 200, 1000, 5, false, [0, 21]],
  ];
  for (const [name, scrollTop, height, total, overscan, follow, want] of cases) {
    it(name, () => {
      const w = windowForScroll({ scrollTop, height, follow }, total, { rowHeight: H, overscan });
      assert.deepEqual([w.first, w.count], want);
    });
  }

  it('default overscan: one screenful (at least 10 rows) each side, ROW_HEIGHT_PX rows', () => {
    const w = windowForScroll({ scrollTop: 100 * ROW_HEIGHT_PX, height: 30 * ROW_HEIGHT_PX }, 10_000);
    assert.deepEqual(w, { first: 100 - 31, count: 31 * 3 });
  });

  it('property: the window is inside the table and covers every visible row', () => {
    fc.assert(
      fc.property(fc.nat(20_000), fc.integer({ min: 1, max: 2000 }), fc.nat(5000), fc.nat(50), fc.integer({ min: 10, max: 40 }), (scrollTop, height, total, overscan, rowHeight) => {
        const { first, count } = windowForScroll({ scrollTop, height }, total, { rowHeight, overscan });
        assert.ok(first >= 0 && count >= 0 && first + count <= total);
        assert.ok(count <= Math.ceil(height / rowHeight) + 1 + 2 * overscan, 'bounded by the viewport, not the table');
        const firstVisible = Math.floor(scrollTop / rowHeight);
        const lastVisible = Math.min(total - 1, Math.floor((scrollTop + height - 1) / rowHeight));
        for (let i = firstVisible; i <= lastVisible; i++) assert.ok(i >= first && i < first + count, `row ${i} is in [${first}, ${first + count})`);
      }),
    );
  });

  it('property: following always includes the last row', () => {
    fc.assert(
      fc.property(fc.nat(20_000), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 5000 }), (scrollTop, height, total) => {
        const { first, count } = windowForScroll({ scrollTop, height, follow: true }, total);
        assert.equal(first + count, total);
      }),
    );
  });
});

describe('rowsInWindow', () => {
  let s = initialPanelState();
  s = reducePanel(s, {
    type: 'events',
    upserts: Array.from({ length: 50 }, (_, i) => event({ uid: `e${i}`, reason: i % 10 === 0 ? 'BackOff' : 'Pulled', type: i % 10 === 0 ? 'Warning' : 'Normal', first: ago((100 - i) * SEC) })),
  });
  s = reducePanel(s, { type: 'pods', upserts: [pod({ name: 'b' }), pod({ name: 'a' }), pod({ name: 'c' })] });

  it('is the slice of the filtered events, printed against now', () => {
    const w = rowsInWindow(s, 'events', 10, 3, { nowMs: NOW });
    assert.equal(w.total, 50);
    assert.equal(w.first, 10);
    assert.deepEqual(w.rows.map((r) => [r.key, r.reason, r.lastSeen]), [
      ['e10', 'BackOff', '90s'],
      ['e11', 'Pulled', '89s'],
      ['e12', 'Pulled', '88s'],
    ]);
  });

  it('follows the filters', () => {
    const warnings = reducePanel(s, { type: 'setFilters', filters: { namespace: '', kind: '', text: '', warningsOnly: true } });
    const w = rowsInWindow(warnings, 'events', 0, 100, { nowMs: NOW });
    assert.equal(w.total, 5);
    assert.deepEqual(w.rows.map((r) => r.key), ['e0', 'e10', 'e20', 'e30', 'e40']);
    assert.equal(rowCount(warnings, 'events'), 5);
  });

  it('is clamped to the table', () => {
    assert.deepEqual(rowsInWindow(s, 'events', 48, 10, { nowMs: NOW }).rows.map((r) => r.key), ['e48', 'e49']);
    const past = rowsInWindow(s, 'events', 500, 10, { nowMs: NOW });
    assert.deepEqual([past.first, past.rows.length], [50, 0]);
    const before = rowsInWindow(s, 'events', -5, 2, { nowMs: NOW });
    assert.deepEqual([before.first, before.rows.map((r) => r.key)], [0, ['e0', 'e1']]);
  });

  it('pods come sorted by namespace and name', () => {
    assert.deepEqual(rowsInWindow(s, 'pods', 0, 10, { nowMs: NOW }).rows.map((r) => r.name), ['a', 'b', 'c']);
    assert.deepEqual(rowsInWindow(s, 'pods', 1, 1, { nowMs: NOW }).rows.map((r) => r.name), ['b']);
  });

  it('panelStatus counts what is held and what is buffered', () => {
    let p = reducePanel(s, { type: 'setPaused', paused: true });
    p = reducePanel(p, { type: 'events', upserts: [event({ uid: 'later', reason: 'X' })] });
    assert.deepEqual(panelStatus(p), { paused: true, buffered: 1, eventCount: 50, podCount: 3 });
  });

  it('10,000 events: filtering and a window stay fast', () => {
    let big = initialPanelState();
    const batch = Array.from({ length: 10_000 }, (_, i) => event({ uid: `b${i}`, reason: i % 7 === 0 ? 'BackOff' : 'Pulled', type: i % 7 === 0 ? 'Warning' : 'Normal', name: `pod-${i}`, first: ago((20_000 - i) * SEC) }));
    const t0 = performance.now();
    big = reducePanel(big, { type: 'events', upserts: batch });
    big = reducePanel(big, { type: 'events', upserts: [event({ uid: 'one-more', reason: 'Started', first: ago(0) })] });
    const filtered = reducePanel(big, { type: 'setFilters', filters: { namespace: 'default', kind: 'Pod', text: 'pod-9', warningsOnly: true } });
    const w = rowsInWindow(filtered, 'events', 0, 60, { nowMs: NOW });
    const ms = performance.now() - t0;
    assert.equal(big.events.size, 10_000, 'capped');
    assert.ok(!big.events.has('b0'), 'the oldest was dropped');
    assert.ok(w.total > 0 && w.rows.length <= 60);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  });
});
