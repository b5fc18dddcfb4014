/**
 * The real kubectl against a KubeLab API server: a CustomResourceDefinition end to end. Apply the CRD, wait for
 * Established with `kubectl wait`, apply a custom resource, get it as a table with the CRD's
 * additionalPrinterColumns (and by short name), delete it, delete the CRD; the type is then gone.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lines, parseTable } from '../helpers/kubectl';
import { fixture, kubectlSuite } from '../helpers/kubectl-suite';

const CRD = 'customresourcedefinition.apiextensions.k8s.io';

test('kubectl: a CustomResourceDefinition end to end', { timeout: 90_000 }, async (t) => {
  await kubectlSuite(t, async ({ k }) => {
    await t.test('apply the CRD and wait for Established', async () => {
      assert.equal(await k.ok(['apply', '-f', fixture('crd-widgets.yaml')]), `${CRD}/widgets.example.com created\n`);
      assert.equal(
        await k.ok(['wait', '--for', 'condition=established', '--timeout=20s', 'crd/widgets.example.com']),
        `${CRD}/widgets.example.com condition met\n`,
      );
      const table = parseTable(await k.ok(['get', 'crd']));
      assert.deepEqual(table.headers, ['NAME', 'CREATED AT']);
      assert.equal(table.rows[0]?.NAME, 'widgets.example.com');
      assert.match(table.rows[0]?.['CREATED AT'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    await t.test('the new type is discoverable', async () => {
      const table = parseTable(await k.ok(['api-resources', '--api-group=example.com']));
      assert.deepEqual(table.rows, [{ NAME: 'widgets', SHORTNAMES: 'wg', APIVERSION: 'example.com/v1', NAMESPACED: 'true', KIND: 'Widget' }]);
    });

    await t.test('apply a custom resource; get shows the additionalPrinterColumns', async () => {
      assert.equal(await k.ok(['apply', '-f', fixture('widget.yaml')]), 'widget.example.com/w1 created\n');
      assert.equal(await k.ok(['apply', '-f', fixture('widget.yaml')]), 'widget.example.com/w1 unchanged\n');
      const table = parseTable(await k.ok(['get', 'widgets']));
      assert.deepEqual(table.headers, ['NAME', 'SIZE', 'COLOR', 'AGE']);
      assert.deepEqual(table.rows.map((r) => [r.NAME, r.SIZE, r.COLOR]), [['w1', '3', 'blue']]);
      assert.match(table.rows[0].AGE, /^\d+s$/);
      assert.equal(await k.ok(['get', 'wg', 'w1', '-o', 'jsonpath={.spec.color}']), 'blue');
      const obj = JSON.parse(await k.ok(['get', 'widget.example.com/w1', '-o', 'json'])) as { apiVersion: string; kind: string; metadata: { uid: string; generation: number } };
      assert.deepEqual([obj.apiVersion, obj.kind, obj.metadata.generation], ['example.com/v1', 'Widget', 1]);
    });

    await t.test('a custom resource that breaks the schema is rejected', async () => {
      const bad = k.writeManifest('bad-widget.yaml', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 'big' } });
      const r = await k.fails(['apply', '-f', bad]);
      assert.equal(
        r.stderr,
        `The Widget "w2" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"\n`,
      );
    });

    await t.test('delete the custom resource, then the CRD', async () => {
      assert.equal(await k.ok(['delete', '-f', fixture('widget.yaml')]), 'widget.example.com "w1" deleted\n');
      assert.equal(await k.ok(['get', 'widgets']), '');
      assert.equal(await k.ok(['delete', '-f', fixture('crd-widgets.yaml')]), `${CRD} "widgets.example.com" deleted\n`);
      // With the discovery still cached, kubectl lists and the group-version is gone (a 404 Status).
      const cached = await k.fails(['get', 'widgets']);
      assert.equal(cached.stderr, 'Error from server (NotFound): Unable to list "example.com/v1, Resource=widgets": the server could not find the requested resource\n');
      // Fresh discovery no longer has the type.
      const fresh = await k.fails(['get', 'widgets'], { cacheDir: k.freshCacheDir() });
      assert.ok(lines(fresh.stderr).includes('error: the server doesn\'t have a resource type "widgets"'), fresh.stderr);
      assert.equal(parseTable(await k.ok(['api-resources', '--api-group=example.com'], { cacheDir: k.freshCacheDir() })).rows.length, 0);
    });
  });
});
