import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Indexer, LABEL_INDEX, NAMESPACE_INDEX, NODE_INDEX, OWNER_INDEX, type CachedObject } from '../../../../src/client/informers/indexer';

function pod(name: string, o: { ns?: string; labels?: Record<string, string>; owner?: string; node?: string; rv?: string } = {}): CachedObject {
  return Object.freeze({
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      resourceVersion: o.rv ?? '1',
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.owner, controller: true }] } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
  }) as CachedObject;
}

const names = (objs: readonly CachedObject[]) => objs.map((o) => o.metadata?.name).sort();

describe('Indexer', () => {
  it('finds objects by each standard index and by key', () => {
    const ix = new Indexer();
    ix.upsert(pod('a', { labels: { app: 'web' }, owner: 'u1', node: 'n1' }));
    ix.upsert(pod('b', { labels: { app: 'web', tier: 'fe' }, owner: 'u1' }));
    ix.upsert(pod('c', { ns: 'other', labels: { app: 'db' } }));
    assert.equal(ix.size, 3);
    assert.deepEqual(names(ix.byIndex(NAMESPACE_INDEX, 'default')), ['a', 'b']);
    assert.deepEqual(names(ix.byIndex(LABEL_INDEX, 'app=web')), ['a', 'b']);
    assert.deepEqual(names(ix.byIndex(LABEL_INDEX, 'tier=fe')), ['b']);
    assert.deepEqual(names(ix.byIndex(OWNER_INDEX, 'u1')), ['a', 'b']);
    assert.deepEqual(names(ix.byIndex(NODE_INDEX, 'n1')), ['a']);
    assert.deepEqual(ix.byIndex(LABEL_INDEX, 'app=none'), []);
    assert.deepEqual([...ix.indexKeys(NAMESPACE_INDEX, 'other')], ['other/c']);
    assert.equal(ix.getByName('other', 'c')?.metadata?.name, 'c');
    assert.throws(() => ix.byIndex('nope', 'x'), /index with name nope does not exist/);
  });

  it('an update with the same index values hands out the new object everywhere', () => {
    const ix = new Indexer();
    const v1 = pod('a', { labels: { app: 'web' }, owner: 'u1', rv: '1' });
    const v2 = pod('a', { labels: { app: 'web' }, owner: 'u1', rv: '2' });
    ix.upsert(v1);
    assert.equal(ix.upsert(v2), v1);
    for (const [index, value] of [[NAMESPACE_INDEX, 'default'], [LABEL_INDEX, 'app=web'], [OWNER_INDEX, 'u1']]) {
      const found = ix.byIndex(index, value);
      assert.equal(found.length, 1);
      assert.equal(found[0], v2, `${index}=${value} still had the old object`);
    }
    assert.equal(ix.get('default/a'), v2);
  });

  it('an update that changes index values moves the object and drops emptied values', () => {
    const ix = new Indexer();
    ix.upsert(pod('a', { labels: { app: 'web' }, owner: 'u1' }));
    ix.upsert(pod('a', { labels: { app: 'api' }, node: 'n2' }));
    assert.deepEqual(ix.byIndex(LABEL_INDEX, 'app=web'), []);
    assert.deepEqual(ix.indexKeys(LABEL_INDEX, 'app=web').size, 0);
    assert.deepEqual(names(ix.byIndex(LABEL_INDEX, 'app=api')), ['a']);
    assert.deepEqual(ix.byIndex(OWNER_INDEX, 'u1'), []);
    assert.deepEqual(names(ix.byIndex(NODE_INDEX, 'n2')), ['a']);
  });

  it('remove takes the object out of every index', () => {
    const ix = new Indexer();
    const a = pod('a', { labels: { app: 'web' }, owner: 'u1', node: 'n1' });
    ix.upsert(a);
    ix.upsert(pod('b', { labels: { app: 'web' } }));
    assert.equal(ix.remove('default/a'), a);
    assert.equal(ix.remove('default/a'), undefined);
    assert.equal(ix.size, 1);
    assert.deepEqual(names(ix.byIndex(LABEL_INDEX, 'app=web')), ['b']);
    assert.deepEqual(ix.byIndex(OWNER_INDEX, 'u1'), []);
    assert.deepEqual(ix.byIndex(NODE_INDEX, 'n1'), []);
  });

  it('custom index functions, including several values per object', () => {
    const ix = new Indexer({ both: (o) => [String(o.metadata?.name), 'all'] });
    ix.upsert(pod('a'));
    ix.upsert(pod('b'));
    assert.deepEqual(names(ix.byIndex('both', 'all')), ['a', 'b']);
    assert.deepEqual(names(ix.byIndex('both', 'b')), ['b']);
  });
});
