/**
 * updateManagedFields for create/update/patch (apimachinery's FieldManager.UpdateNoErrors, adapted from
 * fieldmanager_test.go): the entry a create records, ownership moving on updates, timestamps, resets with `[]`/`[{}]`,
 * client-sent managedFields (valid → used, invalid → ignored), untracked objects, subresources, the 10-entry cap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatch, updateManagedFields } from '../../../../src/api/apply';
import type { KubeObject } from '../../../../src/api/object';
import { configMapSchema, deployment, deploymentSchema, resolver, T0, T1, T2, T3 } from './fixtures';

const opts = (manager: string, now: string, schema = deploymentSchema, apiVersion = 'apps/v1') =>
  ({ manager, now, schema, resolver, apiVersion, operation: 'Update' as const });
const update = (live: KubeObject | undefined, next: KubeObject, manager: string, now: string, extra: object = {}) => {
  const out = updateManagedFields(live, next, { ...opts(manager, now), ...extra });
  out.metadata!.uid ??= 'uid-1';
  return out;
};
const cm = (data: Record<string, string>, metadata: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', ...metadata }, data });
const cmUpdate = (live: KubeObject | undefined, next: KubeObject, manager: string, now: string, extra: object = {}) => {
  const out = updateManagedFields(live, next, { ...opts(manager, now, configMapSchema, 'v1'), ...extra });
  out.metadata!.uid ??= 'uid-1';
  return out;
};

const created = deployment(
  {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
  },
  { labels: { app: 'web' } },
);

describe('updateManagedFields on create', () => {
  it('records the creator as an Update manager; "." only on what did not exist in the empty object', () => {
    const out = update(undefined, created, 'kubectl-create', T0);
    assert.deepEqual(out.metadata!.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } },
            },
          },
        },
      },
    ]);
    assert.equal(created.metadata!.managedFields, undefined, 'the input is not modified');
  });

  it('an empty manager is recorded as "unknown"; a create changing only metadata records nothing', () => {
    assert.equal(update(undefined, created, '', T0).metadata!.managedFields![0]!.manager, 'unknown');
    assert.equal(cmUpdate(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'x', T0).metadata!.managedFields, undefined);
  });

  it('on create, the creator takes every field it sets, even from entries the client sent', () => {
    const sent = [{ manager: 'migrated', operation: 'Apply', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {}, 'f:z': {} } } }];
    const out = cmUpdate(undefined, cm({ a: '1', b: '2' }, { managedFields: sent }), 'kubectl-create', T1);
    assert.deepEqual(out.metadata!.managedFields!.map((e) => [e.manager, e.operation, e.fieldsV1]), [
      ['migrated', 'Apply', { 'f:data': { 'f:z': {} } }],
      ['kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } }],
    ]);
  });
});

describe('updateManagedFields on update', () => {
  it('changed fields move to the updater; its time is set; the others keep theirs', () => {
    let live = cmUpdate(undefined, cm({ a: '1', b: '2' }), 'creator', T0);
    live = cmUpdate(live, { ...live, data: { a: '1', b: '3' } }, 'editor', T1);
    assert.deepEqual(live.metadata!.managedFields!.map((e) => [e.manager, e.time, e.fieldsV1]), [
      ['creator', T0, { 'f:data': { '.': {}, 'f:a': {} } }],
      ['editor', T1, { 'f:data': { 'f:b': {} } }],
    ]);
  });

  it('a no-op update changes nothing, not even the updater’s time', () => {
    const live = cmUpdate(undefined, cm({ a: '1' }), 'creator', T0);
    assert.deepEqual(cmUpdate(live, { ...live }, 'creator', T2), live);
    assert.deepEqual(cmUpdate(live, { ...live }, 'someone-else', T2), live);
  });

  it('removed fields leave every manager; an emptied entry disappears', () => {
    let live = cmUpdate(undefined, cm({ a: '1' }), 'creator', T0);
    live = cmUpdate(live, { ...live, data: { a: '1', b: '2' } }, 'editor', T1);
    live = cmUpdate(live, { ...live, data: { a: '1' } }, 'cleaner', T2);
    assert.deepEqual(live.metadata!.managedFields!.map((e) => e.manager), ['creator']);
  });

  it('a second change by the same manager merges into its entry and moves its time', () => {
    let live = cmUpdate(undefined, cm({ a: '1' }), 'm', T0);
    live = cmUpdate(live, { ...live, data: { a: '1', b: '2' } }, 'm', T1);
    assert.deepEqual(live.metadata!.managedFields, [
      { manager: 'm', operation: 'Update', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } } },
    ]);
  });

  it('takes fields from an applier (an Update never conflicts)', () => {
    const applied = applyPatch(undefined, cm({ a: '1' }), { ...opts('kubectl', T0, configMapSchema, 'v1'), force: false });
    applied.metadata!.uid = 'u';
    const out = cmUpdate(applied, { ...applied, data: { a: '2' } }, 'kubectl-edit', T1);
    assert.deepEqual(out.metadata!.managedFields!.map((e) => [e.manager, e.operation]), [['kubectl-edit', 'Update']]);
  });
});

describe('updateManagedFields: client-sent managedFields', () => {
  const tracked = () => cmUpdate(undefined, cm({ a: '1' }), 'creator', T0);

  for (const reset of [[], [{}]]) {
    it(`${JSON.stringify(reset)} resets them, and the object stays untracked until an apply`, () => {
      let live = cmUpdate(tracked(), cm({ a: '1' }, { uid: 'uid-1', managedFields: reset }), 'resetter', T1);
      assert.equal(live.metadata!.managedFields, undefined);
      live = cmUpdate(live, { ...live, data: { a: '2' } }, 'later', T2);
      assert.equal(live.metadata!.managedFields, undefined);
      const applied = applyPatch(live, cm({ a: '2' }), { ...opts('kubectl', T3, configMapSchema, 'v1'), force: false });
      assert.deepEqual(applied.metadata!.managedFields!.map((e) => [e.manager, e.operation]), [['kubectl', 'Apply'], ['before-first-apply', 'Update']]);
    });
  }

  it('valid managedFields the client sends replace the live ones (managedFields can be edited)', () => {
    const live = tracked();
    const renamed = live.metadata!.managedFields!.map((e) => ({ ...e, manager: 'renamed' }));
    const out = cmUpdate(live, cm({ a: '1' }, { uid: 'uid-1', managedFields: renamed }), 'editor', T1);
    assert.deepEqual(out.metadata!.managedFields, renamed);
  });

  it('invalid managedFields are ignored: the live ones are used', () => {
    const live = tracked();
    const bad = [{ manager: 'x', operation: 'Frobnicate', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }];
    const out = cmUpdate(live, cm({ a: '1' }, { uid: 'uid-1', managedFields: bad }), 'y', T1);
    assert.deepEqual(out.metadata!.managedFields, live.metadata!.managedFields);
  });

  it('through a subresource they are ignored, and entries carry the subresource', () => {
    const live = tracked();
    const sent = [{ manager: 'evil', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
    const out = cmUpdate(live, cm({ a: '1', s: 'x' }, { uid: 'uid-1', managedFields: sent }), 'ctl', T1, { subresource: 'status' });
    assert.deepEqual(out.metadata!.managedFields!.map((e) => [e.manager, e.subresource]), [['creator', undefined], ['ctl', 'status']]);
  });

  it('an existing object without managedFields stays untracked', () => {
    const legacy = cm({ a: '1' }, { uid: 'u' });
    assert.equal(cmUpdate(legacy, { ...legacy, data: { a: '2' } }, 'x', T1).metadata!.managedFields, undefined);
  });
});

describe('updateManagedFields: at most 10 Update managers', () => {
  it('merges the oldest into an ancient-changes entry', () => {
    let live = cmUpdate(undefined, cm({ k0: 'v' }), 'm0', '2026-01-01T00:00:00Z');
    for (let i = 1; i <= 10; i++) {
      const now = `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`;
      live = cmUpdate(live, { ...live, data: { ...(live.data as object), [`k${i}`]: 'v' } }, `m${i}`, now);
    }
    const mf = live.metadata!.managedFields!;
    assert.equal(mf.length, 10);
    assert.deepEqual(mf[0], {
      manager: 'ancient-changes', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:01:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {} } },
    });
    assert.deepEqual(mf.slice(1).map((e) => e.manager), ['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10']);
  });
});
