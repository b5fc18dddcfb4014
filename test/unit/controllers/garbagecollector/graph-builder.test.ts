/**
 * The GraphBuilder's event processing, as upstream processGraphChanges: virtual owners for unknown owner uids
 * (queued for verification), virtual deletes (dependents queued, the identity remembered absent), foreground and
 * orphan transitions, unblocking a waiting owner, identity mismatches when a virtual node is first observed
 * (dependents queued; OwnerRefInvalidNamespace for a namespace mismatch), and removal of a real node.
 */
import * as assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { EventRecorder } from '../../../../src/client/events';
import { GraphBuilder } from '../../../../src/controllers/garbagecollector/graph-builder';
import type { ChangeType } from '../../../../src/controllers/garbagecollector/monitors';

type Owner = { apiVersion: string; kind: string; name: string; uid: string; blockOwnerDeletion?: boolean };

function obj(name: string, uid: string, namespace: string, extra: { owners?: Owner[]; deleting?: boolean; finalizers?: string[] } = {}) {
  return {
    metadata: {
      name,
      uid,
      namespace: namespace || undefined,
      ownerReferences: extra.owners,
      deletionTimestamp: extra.deleting ? '2026-01-01T00:00:00Z' : undefined,
      finalizers: extra.finalizers,
    },
  };
}

describe('GraphBuilder', () => {
  let toDelete: string[];
  let toOrphan: string[];
  let events: unknown[][];
  let g: GraphBuilder;
  const recorder = { eventf: (...a: unknown[]) => events.push(a) } as unknown as EventRecorder;
  const change = (type: ChangeType, o: ReturnType<typeof obj>, oldObj?: ReturnType<typeof obj>, kind = 'ConfigMap', apiVersion = 'v1') =>
    g.enqueue({ type, obj: o, oldObj, apiVersion, kind });

  beforeEach(() => {
    toDelete = [];
    toOrphan = [];
    events = [];
    g = new GraphBuilder({ attemptToDelete: (u) => toDelete.push(u), attemptToOrphan: (u) => toOrphan.push(u), recorder });
  });

  const cmOwner = (name: string, uid: string, blockOwnerDeletion?: boolean): Owner => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid, blockOwnerDeletion });

  it('an unknown owner becomes a virtual node queued for verification; its virtual delete queues the dependents', () => {
    change('add', obj('dep', 'd1', 'ns', { owners: [cmOwner('ghost', 'g1')] }));
    assert.deepEqual(toDelete, ['g1']);
    const ghost = g.uidToNode.get('g1')!;
    assert.equal(ghost.observed, false);
    assert.deepEqual(ghost.identity, { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'g1', namespace: 'ns' });
    toDelete = [];
    g.enqueueVirtualDelete(ghost.identity);
    assert.equal(g.uidToNode.has('g1'), false);
    assert.deepEqual(toDelete, ['d1']);
    assert.ok(g.absentOwnerCache.has(ghost.identity));
  });

  it('a known owner does not queue its new dependent', () => {
    change('add', obj('owner', 'o1', 'ns'));
    change('add', obj('dep', 'd1', 'ns', { owners: [cmOwner('owner', 'o1', true)] }));
    assert.deepEqual(toDelete, []);
    assert.equal(g.uidToNode.get('o1')!.dependents.size, 1);
  });

  it('foreground: the owner and its dependents are queued; removing a blocking reference queues the owner again', () => {
    change('add', obj('owner', 'o1', 'ns'));
    const d = obj('dep', 'd1', 'ns', { owners: [cmOwner('owner', 'o1', true)] });
    change('add', d);
    const deleting = obj('owner', 'o1', 'ns', { deleting: true, finalizers: ['foregroundDeletion'] });
    change('update', deleting, obj('owner', 'o1', 'ns'));
    assert.deepEqual(toDelete.sort(), ['d1', 'o1']);
    assert.equal(g.uidToNode.get('o1')!.deletingDependents, true);
    toDelete = [];
    change('update', deleting, deleting);
    assert.deepEqual(toDelete, [], 'no transition, nothing queued');
    change('update', obj('dep', 'd1', 'ns', { owners: [cmOwner('owner', 'o1', false)] }), d);
    assert.deepEqual(toDelete, ['o1'], 'unblocked owner queued');
    toDelete = [];
    change('delete', obj('dep', 'd1', 'ns', { owners: [cmOwner('owner', 'o1', false)] }));
    assert.deepEqual(toDelete, ['o1'], 'a deleting owner is queued when a dependent goes');
  });

  it('orphan: the owner goes to the orphan queue', () => {
    change('add', obj('owner', 'o1', 'ns'));
    change('update', obj('owner', 'o1', 'ns', { deleting: true, finalizers: ['orphan'] }), obj('owner', 'o1', 'ns'));
    assert.deepEqual(toOrphan, ['o1']);
    assert.deepEqual(toDelete, []);
  });

  it('observing a virtual owner in another namespace queues the dependent and records OwnerRefInvalidNamespace', () => {
    change('add', obj('dep', 'd1', 'b', { owners: [cmOwner('owner', 'o1')] }));
    toDelete = [];
    change('add', obj('owner', 'o1', 'a'));
    assert.deepEqual(toDelete, ['d1']);
    assert.equal(g.uidToNode.get('o1')!.observed, true);
    assert.equal(g.uidToNode.get('o1')!.identity.namespace, 'a');
    assert.equal(events.length, 1);
    const [ref, type, reason, fmt, ...args] = events[0];
    assert.deepEqual(ref, { kind: 'ConfigMap', apiVersion: 'v1', namespace: 'b', name: 'dep', uid: 'd1' });
    assert.deepEqual([type, reason, fmt], ['Warning', 'OwnerRefInvalidNamespace', 'ownerRef %s does not exist in namespace %q']);
    assert.deepEqual(args, ['[v1/ConfigMap, namespace: b, name: owner, uid: o1]', 'b']);
  });

  it('a new dependent naming an observed owner with other coordinates is queued (no event for a kind mismatch)', () => {
    change('add', obj('owner', 'o1', 'ns'));
    change('add', obj('dep', 'd1', 'ns', { owners: [{ ...cmOwner('owner', 'o1'), kind: 'Secret' }] }));
    assert.deepEqual(toDelete, ['d1']);
    assert.equal(events.length, 0);
  });

  it('a virtual delete that disagrees with an observed node only queues the matching dependents', () => {
    change('add', obj('owner', 'o1', 'ns'));
    change('add', obj('dep', 'd1', 'ns', { owners: [{ ...cmOwner('owner', 'o1'), kind: 'Secret' }] }));
    toDelete = [];
    g.enqueueVirtualDelete({ apiVersion: 'v1', kind: 'Secret', name: 'owner', uid: 'o1', namespace: 'ns' });
    assert.ok(g.uidToNode.has('o1'), 'the observed node stays');
    assert.deepEqual(toDelete, ['d1']);
  });

  it('deleting a real owner removes it and queues its dependents', () => {
    change('add', obj('owner', 'o1', 'ns'));
    change('add', obj('dep', 'd1', 'ns', { owners: [cmOwner('owner', 'o1')] }));
    change('delete', obj('owner', 'o1', 'ns'));
    assert.equal(g.uidToNode.has('o1'), false);
    assert.deepEqual(toDelete, ['d1']);
    assert.equal(g.uidToNode.get('d1')!.owners.length, 1, 'the dependent keeps its reference until the GC patches it');
  });
});
