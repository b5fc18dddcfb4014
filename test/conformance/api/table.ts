/**
 * API conformance, part 7: server-side printing. With kubectl's Accept header a pod list (or a single pod) comes
 * back as a meta.k8s.io/v1 Table with printers.go's pod columns (priority-1 columns included, as the server always
 * prints wide) and PartialObjectMetadata in each row; includeObject=Object carries the whole pod.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pod, TABLE_ACCEPT, type Obj } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

const POD_COLUMNS = [
  ['Name', 'string', 'name', 0],
  ['Ready', 'string', '', 0],
  ['Status', 'string', '', 0],
  ['Restarts', 'string', '', 0],
  ['Age', 'string', '', 0],
  ['IP', 'string', '', 1],
  ['Node', 'string', '', 1],
  ['Nominated Node', 'string', '', 1],
  ['Readiness Gates', 'string', '', 1],
];

function columns(table: Obj): unknown[][] {
  return (table.columnDefinitions as Obj[]).map((c) => [c.name, c.type, c.format, c.priority]);
}

export function tableTests(h: ApiHarness): void {
  describe('Table output', () => {
    it('pods as a Table: kubectl\'s columns, one row per pod, PartialObjectMetadata rows', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/pods`;
      const p1 = await h.api.ok(h.api.post(path, pod('p1', { labels: { app: 'x' } })), 201);
      await h.api.ok(h.api.post(path, pod('p2', { nodeName: 'node-a' })), 201);
      const table = await h.api.ok(h.api.get(path, { limit: 500 }, { accept: TABLE_ACCEPT }));
      assert.equal(table.kind, 'Table');
      assert.equal(table.apiVersion, 'meta.k8s.io/v1');
      assert.match(String(table.metadata?.resourceVersion), /^\d+$/);
      assert.deepEqual(columns(table), POD_COLUMNS);
      const defs = table.columnDefinitions as Obj[];
      assert.equal(defs[1].description, 'The aggregate readiness state of this pod for accepting traffic.');
      assert.equal(defs[2].description, 'The aggregate status of the containers in this pod.');
      assert.equal(table.rows.length, 2);
      const [r1, r2] = table.rows as Obj[];
      assert.deepEqual(Object.keys(r1).sort(), ['cells', 'object']);
      assert.deepEqual(r1.cells.slice(0, 4), ['p1', '0/1', 'Pending', '0']);
      assert.match(r1.cells[4], /^\d+s$/);
      assert.deepEqual(r1.cells.slice(5), ['<none>', '<none>', '<none>', '<none>']);
      assert.deepEqual(r2.cells.slice(5), ['<none>', 'node-a', '<none>', '<none>']);
      assert.deepEqual(r1.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p1.metadata });
      assert.equal(r2.object.metadata.name, 'p2');
      assert.equal(r2.object.metadata.namespace, ns);
    });

    it('a single pod as a Table, and includeObject=Object carries the whole pod', T, async () => {
      const ns = await h.namespace();
      const path = `/api/v1/namespaces/${ns}/pods`;
      const p = await h.api.ok(h.api.post(path, pod('solo')), 201);
      const one = await h.api.ok(h.api.get(`${path}/solo`, undefined, { accept: TABLE_ACCEPT }));
      assert.equal(one.kind, 'Table');
      assert.equal(one.rows.length, 1);
      assert.equal(one.rows[0].cells[0], 'solo');
      const full = await h.api.ok(h.api.get(path, { includeObject: 'Object' }, { accept: TABLE_ACCEPT }));
      assert.deepEqual(full.rows[0].object, p);
    });

    it('plain JSON when Accept asks for it', T, async () => {
      const ns = await h.namespace();
      const list = await h.api.ok(h.api.get(`/api/v1/namespaces/${ns}/pods`, undefined, { accept: 'application/json' }));
      assert.equal(list.kind, 'PodList');
      assert.deepEqual(list.items, []);
    });
  });
}
