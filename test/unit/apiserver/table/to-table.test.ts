import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../../../../src/api/object';
import { builtinResources } from '../../../../src/api/resources';
import { toTable } from '../../../../src/apiserver/table';
import { MIN, NOW, ago, resource } from './fixtures';

const pods = resource('pods');

function pod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d4b9c-${i}`,
      generateName: 'web-7d4b9c-',
      namespace: i % 2 ? 'default' : 'shop',
      uid: `uid-${i}`,
      resourceVersion: String(1000 + i),
      creationTimestamp: ago((i % 600) * MIN),
      labels: { app: 'web', 'pod-template-hash': '7d4b9c' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c', uid: 'rs', controller: true, blockOwnerDeletion: true }],
    },
    spec: { nodeName: `node-${i % 50}`, containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit:3' }] },
    status: {
      phase: 'Running',
      podIP: `10.244.${i % 250}.${i % 200}`,
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'nginx', ready: true, restartCount: i % 3, state: { running: {} }, lastState: i % 3 ? { terminated: { exitCode: 1, finishedAt: ago(MIN) } } : {} },
        { name: 'log', ready: true, restartCount: 0, state: { running: {} } },
      ],
    },
  };
}

describe('toTable: the Table envelope', () => {
  it('kind, apiVersion, list metadata, column definitions and rows, in upstream JSON order', () => {
    const t = toTable(pods, [pod(1)], { now: NOW, includeObject: 'None', listMeta: { resourceVersion: '4711', continue: 'eyJ2IjoxfQ', remainingItemCount: 12 } });
    assert.deepEqual(Object.keys(t), ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.metadata, { resourceVersion: '4711', continue: 'eyJ2IjoxfQ', remainingItemCount: 12 });
    assert.deepEqual(Object.keys(t.columnDefinitions[0]!), ['name', 'type', 'format', 'description', 'priority']);
    assert.ok(!('object' in t.rows[0]!), 'includeObject=None: no object');
    const json = JSON.parse(JSON.stringify(t));
    assert.equal(json.columnDefinitions[1].format, '');
    assert.equal(json.columnDefinitions[5].priority, 1);
  });
  it('list metadata: absent fields are omitted, remainingItemCount 0 is kept', () => {
    assert.deepEqual(toTable(pods, [], { now: NOW, includeObject: 'Metadata' }).metadata, {});
    assert.deepEqual(toTable(pods, [], { now: NOW, includeObject: 'Metadata', listMeta: { resourceVersion: '9', remainingItemCount: 0 } }).metadata, { resourceVersion: '9', remainingItemCount: 0 });
  });
  it('includeObject=Metadata: a PartialObjectMetadata carrying the whole metadata (NAMESPACE, --show-labels, -L)', () => {
    const p = pod(3);
    const row = toTable(pods, [p], { now: NOW, includeObject: 'Metadata' }).rows[0]!;
    assert.deepEqual(row.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
    const m = (row.object as { metadata: Record<string, unknown> }).metadata;
    assert.equal(m.name, 'web-7d4b9c-3');
    assert.equal(m.namespace, 'default');
    assert.deepEqual(m.labels, { app: 'web', 'pod-template-hash': '7d4b9c' });
    assert.equal((m.ownerReferences as unknown[]).length, 1);
    assert.equal(JSON.stringify(row).includes('"spec"'), false, 'no spec in the metadata-only row');
  });
  it('includeObject=Object: the whole object, with apiVersion and kind filled in when missing', () => {
    const p = pod(4);
    assert.equal(toTable(pods, [p], { now: NOW, includeObject: 'Object' }).rows[0]!.object, p);
    const { apiVersion: _a, kind: _k, ...bare } = p;
    const obj = toTable(resource('deployments'), [bare], { now: NOW, includeObject: 'Object' }).rows[0]!.object as KubeObject;
    assert.equal(obj.apiVersion, 'apps/v1');
    assert.equal(obj.kind, 'Deployment');
    assert.equal(obj.spec, p.spec);
    assert.equal(bare.apiVersion, undefined, 'the input is not modified');
  });
});

describe('toTable: every built-in resource', () => {
  for (const r of builtinResources()) {
    it(`${r.group || 'core'}/${r.resource}: one cell per column, a NAME column, never throws on arbitrary JSON`, () => {
      const t = toTable(r, [{}], { now: NOW, includeObject: 'Metadata' });
      assert.ok(t.columnDefinitions.length >= 2);
      assert.ok(t.columnDefinitions.some((c) => c.name === 'Name' && c.format === 'name'));
      assert.equal(t.rows[0]!.cells.length, t.columnDefinitions.length);
      assert.deepEqual(t.rows[0]!.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {} });
      for (const c of t.columnDefinitions) {
        assert.ok(c.description.length > 0, `${c.name} has a description`);
        assert.ok(c.priority === 0 || c.priority === 1);
      }
      fc.assert(
        fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (spec, status, metadata) => {
          const obj = { metadata, spec, status, subsets: spec, conditions: status, involvedObject: spec, roleRef: status, subjects: spec } as KubeObject;
          const row = toTable(r, [obj], { now: NOW, includeObject: 'None' }).rows[0]!;
          assert.equal(row.cells.length, t.columnDefinitions.length);
          for (const cell of row.cells) assert.ok(cell === null || ['string', 'number', 'boolean'].includes(typeof cell));
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe('toTable: performance', () => {
  it('renders 10,000 pods in well under 100 ms', () => {
    const list = Array.from({ length: 10_000 }, (_, i) => pod(i));
    toTable(pods, list, { now: NOW, includeObject: 'Metadata' }); // warm up
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      const t = toTable(pods, list, { now: NOW, includeObject: 'Metadata' });
      best = Math.min(best, performance.now() - start);
      assert.equal(t.rows.length, 10_000);
    }
    assert.ok(best < 100, `10,000 pods took ${best.toFixed(1)} ms`);
  });
});
