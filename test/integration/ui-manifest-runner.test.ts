/**
 * The VS Code Apply / Dry Run / Diff / Delete commands' engine (src/ui/manifest/runner.ts) against the real API
 * server (in-process transport, admin identity): kubectl's lines, dependency order, field errors placed on the
 * YAML node, notices for other failures, CRDs applied before their custom resources in one file.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManifestRunner, parseManifests } from '../../src/ui/manifest';
import type { Transport } from '../../src/client/transport';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: shop}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

describe('ManifestRunner against the real API server', () => {
  let tc: TestCluster;
  let t: Transport;
  let runner: ManifestRunner;
  before(async () => {
    tc = await startTestCluster();
    t = tc.inProcess();
    runner = new ManifestRunner(t);
  });
  after(async () => tc.stop());

  it('applies in dependency order and prints what kubectl prints; a second apply is unchanged; a change is configured', async () => {
    const first = await runner.run(parseManifests(WEB, 'web.yaml'), 'apply', 'web.yaml');
    assert.deepEqual(first.outcomes.map((o) => o.line ?? o.error), ['namespace/shop created', 'service/web created', 'deployment.apps/web created']);
    assert.deepEqual(first.diagnostics, []);
    const again = await runner.run(parseManifests(WEB, 'web.yaml'), 'apply', 'web.yaml');
    assert.deepEqual(again.outcomes.map((o) => o.line), ['namespace/shop unchanged', 'service/web unchanged', 'deployment.apps/web unchanged']);
    const changed = await runner.run(parseManifests(WEB.replace('replicas: 2', 'replicas: 3'), 'web.yaml'), 'apply', 'web.yaml');
    assert.equal(changed.outcomes[2].line, 'deployment.apps/web configured');
    const live = await t.request({ method: 'GET', path: '/apis/apps/v1/namespaces/shop/deployments/web' });
    const body = live.body as { spec: { replicas: number }; metadata: { managedFields: { manager: string; operation: string }[] } };
    assert.equal(body.spec.replicas, 3);
    assert.ok(body.metadata.managedFields.some((f) => f.manager === 'kubelab' && f.operation === 'Apply'));
  });

  it('a server dry run changes nothing and says so; diff returns the live and the merged object', async () => {
    const text = WEB.replace('replicas: 2', 'replicas: 5');
    const dry = await runner.run(parseManifests(text, 'web.yaml'), 'dryRun', 'web.yaml');
    assert.equal(dry.outcomes[2].line, 'deployment.apps/web configured (server dry run)');
    const live = await t.request({ method: 'GET', path: '/apis/apps/v1/namespaces/shop/deployments/web' });
    assert.equal((live.body as { spec: { replicas: number } }).spec.replicas, 3);
    const diff = await runner.run(parseManifests(text, 'web.yaml'), 'diff', 'web.yaml');
    const d = diff.outcomes[2];
    assert.equal((d.live as { spec: { replicas: number } }).spec.replicas, 3);
    assert.equal((d.merged as { spec: { replicas: number } }).spec.replicas, 5);
    assert.equal((d.merged?.metadata as Record<string, unknown>).managedFields, undefined);
  });

  it('an invalid field becomes a diagnostic on its line; the other documents still apply', async () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ok-one
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: -1
  selector:
    matchLabels: {app: bad}
  template:
    metadata:
      labels: {app: bad}
    spec:
      containers:
      - name: c
        image: nginx
`;
    const run = await runner.run(parseManifests(text, 'bad.yaml'), 'apply', 'bad.yaml');
    assert.equal(run.outcomes[0].line, 'configmap/ok-one created');
    assert.equal(run.outcomes[1].code, 422);
    assert.match(run.outcomes[1].error ?? '', /^Error from server \(Invalid\): Deployment\.apps "bad" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0$/);
    const diag = run.diagnostics.find((d) => d.message.includes('greater than or equal to 0'));
    assert.ok(diag, JSON.stringify(run.diagnostics));
    assert.equal(diag.range.start.line, 10, 'the replicas line (0-based)');
    assert.equal(diag.severity, 'error');
  });

  it('YAML syntax errors are diagnostics and nothing of that document is sent; unknown kinds say what kubectl says', async () => {
    const run = await runner.run(parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n', 'x.yaml'), 'apply', 'x.yaml');
    assert.equal(run.outcomes.length, 0);
    assert.ok(run.diagnostics.some((d) => d.severity === 'error'));
    const unknown = await runner.run(parseManifests('apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n', 'w.yaml'), 'apply', 'w.yaml');
    assert.equal(unknown.outcomes[0].error, 'error: resource mapping not found for name: "w" namespace: "" from "w.yaml": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first');
  });

  it('a CRD and its custom resource in one file apply in order', async () => {
    const text = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
spec: {size: 3}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;
    const run = await runner.run(parseManifests(text, 'crd.yaml'), 'apply', 'crd.yaml');
    assert.deepEqual(run.outcomes.map((o) => o.line ?? o.error), ['customresourcedefinition.apiextensions.k8s.io/widgets.example.com created', 'widget.example.com/w1 created']);
  });

  it('a forbidden request is a notice with the server message, not a diagnostic', async () => {
    const anonymous = new ManifestRunner(tc.inProcess('not-a-token'));
    const run = await anonymous.run(parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 'x.yaml'), 'apply', 'x.yaml');
    assert.equal(run.outcomes.length, 1);
    assert.equal(run.outcomes[0].code, 401);
    assert.match(run.outcomes[0].error ?? '', /Unauthorized/);
    assert.deepEqual(run.diagnostics, []);
  });

  it('delete removes in reverse order and reports NotFound as kubectl does', async () => {
    const run = await runner.run(parseManifests(WEB, 'web.yaml'), 'delete', 'web.yaml');
    assert.deepEqual(run.outcomes.map((o) => o.line ?? o.error).slice(0, 2), ['deployment.apps "web" deleted', 'service "web" deleted']);
    assert.equal(run.outcomes[2].line, 'namespace "shop" deleted');
    const again = await runner.run(parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nope\n', 'x.yaml'), 'delete', 'x.yaml');
    assert.equal(again.outcomes[0].error, 'Error from server (NotFound): configmaps "nope" not found');
  });
});
