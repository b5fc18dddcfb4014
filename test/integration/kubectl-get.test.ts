/**
 * The real kubectl against a KubeLab API server: read-only commands. version, api-resources, get (tables, -o
 * wide/yaml/json/name, -A, -l, --show-labels, --sort-by, get all, get cs, --raw), describe, explain, NotFound and
 * unknown-type errors, and authentication failure. Expected lines are what kubectl 1.32 prints against a real
 * kube-apiserver in the same situation (no controllers or nodes run yet, so pods stay Pending and unscheduled).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lines, parseTable, parseTables } from '../helpers/kubectl';
import { fixture, kubectlSuite } from '../helpers/kubectl-suite';

const AGE = /^\d+s$/;

test('kubectl: version, discovery, get, describe, explain', { timeout: 120_000 }, async (t) => {
  await kubectlSuite(t, async ({ k }) => {
    await t.test('setup: create pods, a namespace, a deployment and a service', async () => {
      await k.ok(['create', '-f', fixture('get-pods.yaml')]);
      await k.ok(['create', '-f', fixture('other-namespace.yaml')]);
      await k.ok(['create', '-f', fixture('web-deployment.yaml')]);
      await k.ok(['create', '-f', fixture('web-service.yaml')]);
    });

    await t.test('version: the server is 1.32, picked by the dispatcher without a skew warning', async () => {
      const r = await k.run(['version']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Client Version: v1\.\d+\.\d+/m);
      assert.match(r.stdout, /^Server Version: v1\.32\.\d+\S*$/m);
      assert.doesNotMatch(r.stderr, /version difference|skew/i);
      const j = JSON.parse(await k.ok(['version', '-o', 'json'])) as { serverVersion: { major: string; minor: string; gitVersion: string } };
      assert.equal(j.serverVersion.major, '1');
      assert.equal(j.serverVersion.minor, '32');
      assert.match(j.serverVersion.gitVersion, /^v1\.32\./);
    });

    await t.test('api-resources lists names, short names, versions, scope and kinds', async () => {
      const table = parseTable(await k.ok(['api-resources']));
      assert.deepEqual(table.headers, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
      const byName = new Map(table.rows.map((r) => [`${r.NAME} ${r.APIVERSION}`, r]));
      const expect: [string, string, string, string, string][] = [
        ['pods', 'po', 'v1', 'true', 'Pod'],
        ['services', 'svc', 'v1', 'true', 'Service'],
        ['namespaces', 'ns', 'v1', 'false', 'Namespace'],
        ['configmaps', 'cm', 'v1', 'true', 'ConfigMap'],
        ['events', 'ev', 'v1', 'true', 'Event'],
        ['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus'],
        ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
        ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
        ['customresourcedefinitions', 'crd,crds', 'apiextensions.k8s.io/v1', 'false', 'CustomResourceDefinition'],
      ];
      for (const [name, short, version, namespaced, kind] of expect) {
        assert.deepEqual(byName.get(`${name} ${version}`), { NAME: name, SHORTNAMES: short, APIVERSION: version, NAMESPACED: namespaced, KIND: kind });
      }
      const names = lines(await k.ok(['api-resources', '-o', 'name']));
      assert.ok(names.includes('pods') && names.includes('deployments.apps'), names.join(' '));
    });

    await t.test('get pods: the default table', async () => {
      const out = await k.ok(['get', 'pods']);
      const table = parseTable(out);
      assert.deepEqual(table.headers, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      assert.deepEqual(
        table.rows.map((r) => [r.NAME, r.READY, r.STATUS, r.RESTARTS]),
        [
          ['alpha', '0/1', 'Pending', '0'],
          ['bravo', '0/1', 'Pending', '0'],
          ['charlie', '0/1', 'Pending', '0'],
        ],
      );
      for (const r of table.rows) assert.match(r.AGE, AGE);
    });

    await t.test('get pods -o wide adds IP, NODE, NOMINATED NODE, READINESS GATES', async () => {
      const table = parseTable(await k.ok(['get', 'pods', '-o', 'wide']));
      assert.deepEqual(table.headers, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
      const alpha = table.rows.find((r) => r.NAME === 'alpha');
      assert.deepEqual(alpha && [alpha.IP, alpha.NODE, alpha['NOMINATED NODE'], alpha['READINESS GATES']], ['<none>', '<none>', '<none>', '<none>']);
    });

    await t.test('get pod -o yaml prints the object with server-set metadata and status', async () => {
      const out = await k.ok(['get', 'pod', 'alpha', '-o', 'yaml']);
      assert.match(out, /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
      for (const re of [/^ {2}name: alpha$/m, /^ {2}namespace: default$/m, /^ {2}uid: [0-9a-f-]{36}$/m, /^ {2}resourceVersion: "\d+"$/m, /^ {2}creationTimestamp: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"$/m, /^ {2}phase: Pending$/m, /^ {2}- image: busybox:3$/m, /^ {6}protocol: TCP$/m]) {
        assert.match(out, re);
      }
    });

    await t.test('get pods -o json is a List of Pods', async () => {
      const list = JSON.parse(await k.ok(['get', 'pods', '-o', 'json'])) as { kind: string; apiVersion: string; items: { kind: string; apiVersion: string; metadata: { name: string; uid: string }; status: { phase: string } }[] };
      assert.equal(list.kind, 'List');
      assert.equal(list.apiVersion, 'v1');
      assert.deepEqual(list.items.map((i) => i.metadata.name), ['alpha', 'bravo', 'charlie']);
      for (const i of list.items) {
        assert.equal(i.kind, 'Pod');
        assert.equal(i.apiVersion, 'v1');
        assert.match(i.metadata.uid, /^[0-9a-f-]{36}$/);
        assert.equal(i.status.phase, 'Pending');
      }
    });

    await t.test('get pods -o name', async () => {
      assert.equal(await k.ok(['get', 'pods', '-o', 'name']), 'pod/alpha\npod/bravo\npod/charlie\n');
      assert.equal(await k.ok(['get', 'deploy,svc', '-o', 'name', '-l', 'app=web']), 'deployment.apps/web\n');
    });

    await t.test('get pods -A adds the NAMESPACE column', async () => {
      const table = parseTable(await k.ok(['get', 'pods', '-A']));
      assert.deepEqual(table.headers, ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      assert.deepEqual(
        table.rows.map((r) => `${r.NAMESPACE}/${r.NAME}`),
        ['default/alpha', 'default/bravo', 'default/charlie', 'other/delta'],
      );
    });

    await t.test('get pods -l filters by label (equality, set, negation)', async () => {
      const names = async (sel: string) => parseTable(await k.ok(['get', 'pods', '-l', sel])).rows.map((r) => r.NAME);
      assert.deepEqual(await names('tier=front'), ['alpha', 'bravo']);
      assert.deepEqual(await names('tier!=front'), ['charlie']);
      assert.deepEqual(await names('tier in (back)'), ['charlie']);
      const r = await k.run(['get', 'pods', '-l', 'app=nothing']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'No resources found in default namespace.\n');
    });

    await t.test('get pods --show-labels', async () => {
      const table = parseTable(await k.ok(['get', 'pods', '--show-labels']));
      assert.deepEqual(table.headers, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
      assert.deepEqual(table.rows.map((r) => `${r.NAME} ${r.LABELS}`), ['alpha app=get-demo,tier=front', 'bravo app=get-demo,tier=front', 'charlie app=get-demo,tier=back']);
    });

    await t.test('get pods --sort-by', async () => {
      const byName = parseTable(await k.ok(['get', 'pods', '--sort-by=.metadata.name']));
      assert.deepEqual(byName.rows.map((r) => r.NAME), ['alpha', 'bravo', 'charlie']);
      // A field only the full object has (kubectl asks for includeObject=Object).
      const byImage = parseTable(await k.ok(['get', 'pods', '--sort-by=.spec.containers[0].image']));
      assert.deepEqual(byImage.rows.map((r) => r.NAME), ['bravo', 'charlie', 'alpha']);
    });

    await t.test('get deploy: table and -o wide', async () => {
      const table = parseTable(await k.ok(['get', 'deploy']));
      assert.deepEqual(table.headers, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      assert.deepEqual(table.rows.map((r) => [r.NAME, r.READY, r['UP-TO-DATE'], r.AVAILABLE]), [['web', '0/2', '0', '0']]);
      const wide = parseTable(await k.ok(['get', 'deployments.apps', 'web', '-o', 'wide']));
      assert.deepEqual(wide.headers, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
      assert.deepEqual([wide.rows[0].CONTAINERS, wide.rows[0].IMAGES, wide.rows[0].SELECTOR], ['nginx', 'nginx:1.27', 'app=web']);
    });

    await t.test('get svc: ClusterIP type and an allocated cluster IP', async () => {
      const table = parseTable(await k.ok(['get', 'svc', 'web']));
      assert.deepEqual(table.headers, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      const r = table.rows[0];
      assert.deepEqual([r.NAME, r.TYPE, r['EXTERNAL-IP'], r['PORT(S)']], ['web', 'ClusterIP', '<none>', '80/TCP']);
      assert.match(r['CLUSTER-IP'], /^\d+\.\d+\.\d+\.\d+$/);
    });

    await t.test('the default namespace has the kubernetes Service (created by the API server itself)', async () => {
      const table = parseTable(await k.ok(['get', 'svc', 'kubernetes']));
      assert.deepEqual([table.rows[0]?.NAME, table.rows[0]?.TYPE, table.rows[0]?.['PORT(S)']], ['kubernetes', 'ClusterIP', '443/TCP']);
    });

    await t.test('get all: one table per resource of the "all" category', async () => {
      const tables = parseTables(await k.ok(['get', 'all']));
      const find = (prefix: string) => tables.findIndex((tb) => tb.rows.some((r) => r.NAME.startsWith(prefix)));
      const pods = find('pod/');
      const svc = find('service/');
      const deploy = find('deployment.apps/');
      assert.ok(pods >= 0 && svc > pods && deploy > svc, `tables in order pods, services, deployments: ${JSON.stringify(tables.map((x) => x.rows.map((r) => r.NAME)))}`);
      assert.deepEqual(tables[pods].headers, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      assert.deepEqual(tables[pods].rows.map((r) => r.NAME), ['pod/alpha', 'pod/bravo', 'pod/charlie']);
      assert.ok(tables[svc].rows.some((r) => r.NAME === 'service/web'));
      assert.deepEqual(tables[deploy].rows.map((r) => [r.NAME, r.READY]), [['deployment.apps/web', '0/2']]);
    });

    await t.test('get cs: component statuses with the deprecation warning', async () => {
      const r = await k.run(['get', 'cs']);
      assert.equal(r.code, 0, r.stderr);
      const table = parseTable(r.stdout);
      assert.deepEqual(table.headers, ['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
      assert.equal(table.rows.find((x) => x.NAME === 'etcd-0')?.STATUS, 'Healthy');
      assert.ok(lines(r.stderr).includes('Warning: v1 ComponentStatus is deprecated in v1.19+'), `stderr: ${JSON.stringify(r.stderr)}`);
    });

    await t.test('get --raw /healthz, /readyz, /version', async () => {
      assert.equal(await k.ok(['get', '--raw', '/healthz']), 'ok');
      assert.equal(await k.ok(['get', '--raw', '/readyz']), 'ok');
      const v = JSON.parse(await k.ok(['get', '--raw', '/version'])) as { major: string; minor: string };
      assert.deepEqual([v.major, v.minor], ['1', '32']);
    });

    await t.test('describe pod shows the key fields', async () => {
      const out = await k.ok(['describe', 'pod', 'alpha']);
      for (const re of [/^Name:\s+alpha$/m, /^Namespace:\s+default$/m, /^Node:\s+<none>$/m, /^Labels:\s+app=get-demo$/m, /^\s+tier=front$/m, /^Status:\s+Pending$/m, /^Containers:$/m, /^ {2}app:$/m, /^\s+Image:\s+busybox:3$/m, /^\s+Port:\s+80\/TCP$/m, /^QoS Class:\s+BestEffort$/m, /^Events:\s+<none>$/m]) {
        assert.match(out, re);
      }
    });

    await t.test('describe deployment shows replicas, the defaulted strategy and the pod template', async () => {
      const out = await k.ok(['describe', 'deployment', 'web']);
      for (const re of [
        /^Name:\s+web$/m,
        /^Selector:\s+app=web$/m,
        /^Replicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m,
        /^StrategyType:\s+RollingUpdate$/m,
        /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m,
        /^Pod Template:$/m,
        /^\s+Image:\s+nginx:1\.27$/m,
        /^\s+Port:\s+80\/TCP$/m,
      ]) {
        assert.match(out, re);
      }
    });

    await t.test('explain deployment.spec.replicas prints the field documentation', async () => {
      const out = await k.ok(['explain', 'deployment.spec.replicas']);
      assert.match(out, /^GROUP:\s+apps$/m);
      assert.match(out, /^KIND:\s+Deployment$/m);
      assert.match(out, /^VERSION:\s+v1$/m);
      assert.match(out, /^FIELD: replicas <integer>$/m);
      assert.match(out, /^DESCRIPTION:$/m);
      assert.match(out.replace(/\s+/g, ' '), /Number of desired pods\. This is a pointer to distinguish between explicit zero and not specified\. Defaults to 1\./);
    });

    await t.test('get of a missing object: NotFound', async () => {
      const r = await k.fails(['get', 'pod', 'nope']);
      assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
      const d = await k.fails(['get', 'deploy', 'nope']);
      assert.equal(d.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
    });

    await t.test('get of an unknown resource type', async () => {
      const r = await k.fails(['get', 'foos']);
      assert.ok(lines(r.stderr).includes('error: the server doesn\'t have a resource type "foos"'), r.stderr);
    });

    await t.test('a wrong token: You must be logged in to the server (Unauthorized)', async () => {
      const bad = k.kubeconfigWithToken('not-a-valid-token');
      const r = await k.fails(['get', 'pods'], { kubeconfig: bad });
      assert.ok(lines(r.stderr).includes('error: You must be logged in to the server (Unauthorized)'), r.stderr);
    });
  });
});
