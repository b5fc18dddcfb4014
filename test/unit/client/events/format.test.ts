/** Go-style message formatting, object references and the Event's name and timestamps. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventName, getReference, goSprintf, metaTime, NanoStamps } from '../../../../src/client/events';

describe('goSprintf', () => {
  const cases: [string, unknown[], string][] = [
    ['Scaled up replica set %s to %d', ['web-7d4', 3], 'Scaled up replica set web-7d4 to 3'],
    ['Created pod: %v', ['web-abc'], 'Created pod: web-abc'],
    ['Error creating: %v', [new Error('pods "x" is forbidden')], 'Error creating: pods "x" is forbidden'],
    ['image %q', ['nginx:1.27'], 'image "nginx:1.27"'],
    ['100%% done', [], '100% done'],
    ['%v %v %v', [true, 1.5, null], 'true 1.5 <nil>'],
    ['%v', [{ b: [1, 'x'], a: 2 }], 'map[a:2 b:[1 x]]'],
    ['%d', ['x'], '%!d(string=x)'],
    ['%s', [5], '%!s(int=5)'],
    ['%d and %s', [1], '1 and %!s(MISSING)'],
    ['done', [1, 'a'], 'done%!(EXTRA int=1, string=a)'],
    ['%x', [255], 'ff'],
    ['%t', [false], 'false'],
    ['tail %', [], 'tail %!(NOVERB)'],
  ];
  for (const [fmt, args, want] of cases) {
    it(`${JSON.stringify(fmt)} ${JSON.stringify(args.map((a) => (a instanceof Error ? a.message : a)))}`, () => assert.equal(goSprintf(fmt, ...args), want));
  }
});

describe('getReference', () => {
  it('takes kind and apiVersion from the object and identity from its metadata', () => {
    assert.deepEqual(getReference({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a', uid: 'u', resourceVersion: '9', generation: 2 } }), {
      ref: { kind: 'Deployment', namespace: 'a', name: 'web', uid: 'u', apiVersion: 'apps/v1', resourceVersion: '9' },
    });
  });
  it('keeps a reference as it is, fieldPath included', () => {
    const ref = { kind: 'Pod', namespace: 'a', name: 'p', fieldPath: 'spec.containers{c}' };
    assert.deepEqual(getReference(ref), { ref });
  });
  it('fails without kind or apiVersion', () => {
    assert.ok('error' in getReference({ apiVersion: 'v1', metadata: { name: 'x' } }));
    assert.deepEqual(getReference({ kind: 'Pod', metadata: { name: 'x' } }), { error: "selfLink was empty, can't make reference" });
    assert.ok('error' in getReference(undefined));
  });
});

describe('names and times', () => {
  it('names `<name>.<hex nanoseconds>` and keeps them unique within a millisecond', () => {
    const s = new NanoStamps();
    const ms = Date.UTC(2026, 4, 17, 8, 0, 0, 123);
    const a = s.next(ms);
    const b = s.next(ms);
    const c = s.next(ms - 5);
    assert.equal(eventName('web', a), `web.${(BigInt(ms) * 1_000_000n).toString(16)}`);
    assert.match(eventName('web', a), /^web\.[0-9a-f]{16}$/);
    assert.equal(b, a + 1n);
    assert.equal(c, a + 2n);
  });
  it('writes metav1.Time in whole seconds, UTC', () => {
    assert.equal(metaTime(Date.UTC(2026, 0, 2, 3, 4, 5, 999)), '2026-01-02T03:04:05Z');
    assert.equal(metaTime(0), '1970-01-01T00:00:00Z');
  });
});
