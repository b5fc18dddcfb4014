/**
 * The real kubectl against a KubeLab API server: commands that write. apply (create / unchanged / configured /
 * multi-document / --server-side / field-manager conflicts), create -f and AlreadyExists, replace -f with a stale
 * resourceVersion, delete -f and by name, strict field validation and --validate=false, scale, label, annotate,
 * patch (merge, json, strategic). Expected lines are kubectl 1.32's against a real kube-apiserver.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lines, parseTable } from '../helpers/kubectl';
import { fixture, kubectlSuite } from '../helpers/kubectl-suite';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface Deployment {
  metadata: { name: string; resourceVersion: string; annotations?: Record<string, string>; managedFields?: { manager: string; operation: string }[] };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string; env?: { name: string; value: string }[] }[] } } } & Record<string, unknown>;
}

/** What `kubectl create deployment <name> --image=nginx:1.27` would send. */
const nginxDeployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
});

test('kubectl: apply, create, replace, delete, scale, label, annotate, patch', { timeout: 120_000 }, async (t) => {
  await kubectlSuite(t, async ({ k }) => {
    const getJson = async <T>(...args: string[]): Promise<T> => JSON.parse(await k.ok(['get', ...args, '-o', 'json'])) as T;
    const jsonpath = (kind: string, name: string, expr: string) => k.ok(['get', kind, name, '-o', `jsonpath=${expr}`]);

    await t.test('apply -f creates: deployment.apps/web created', async () => {
      assert.equal(await k.ok(['apply', '-f', fixture('web-deployment.yaml')]), 'deployment.apps/web created\n');
      const d = await getJson<Deployment>('deploy', 'web');
      assert.ok(d.metadata.annotations?.[LAST_APPLIED], 'the last-applied annotation is stored');
      assert.equal(d.spec.replicas, 2);
    });

    await t.test('apply -f again with no change: unchanged', async () => {
      assert.equal(await k.ok(['apply', '-f', fixture('web-deployment.yaml')]), 'deployment.apps/web unchanged\n');
    });

    await t.test('apply -f a changed manifest: configured, and the changes are merged in', async () => {
      assert.equal(await k.ok(['apply', '-f', fixture('web-deployment-v2.yaml')]), 'deployment.apps/web configured\n');
      const d = await getJson<Deployment>('deploy', 'web');
      assert.equal(d.spec.replicas, 3);
      const c = d.spec.template.spec.containers;
      assert.deepEqual(c.map((x) => [x.name, x.image]), [['nginx', 'nginx:1.28']]);
      assert.deepEqual(c[0].env, [{ name: 'MODE', value: 'production' }]);
      assert.equal(await k.ok(['apply', '-f', fixture('web-deployment-v2.yaml')]), 'deployment.apps/web unchanged\n');
    });

    await t.test('apply -f a multi-document file', async () => {
      assert.deepEqual(lines(await k.ok(['apply', '-f', fixture('multi.yaml')])), ['configmap/multi-config created', 'service/multi-svc created', 'pod/multi-pod created']);
      assert.deepEqual(lines(await k.ok(['apply', '-f', fixture('multi.yaml')])), ['configmap/multi-config unchanged', 'service/multi-svc unchanged', 'pod/multi-pod unchanged']);
      assert.equal(await jsonpath('configmap', 'multi-config', '{.data.greeting}'), 'hello');
    });

    await t.test('apply --server-side: serverside-applied, owned by the manager "kubectl"', async () => {
      assert.equal(await k.ok(['apply', '--server-side', '-f', fixture('ssa-deployment.yaml')]), 'deployment.apps/ssa serverside-applied\n');
      assert.equal(await k.ok(['apply', '--server-side', '-f', fixture('ssa-deployment.yaml')]), 'deployment.apps/ssa serverside-applied\n');
      const d = await getJson<Deployment>('deploy', 'ssa', '--show-managed-fields');
      assert.ok(
        d.metadata.managedFields?.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'),
        JSON.stringify(d.metadata.managedFields),
      );
      assert.equal(d.spec.replicas, 2);
    });

    await t.test('apply --server-side by another field manager conflicts on .spec.replicas; --force-conflicts takes it', async () => {
      const r = await k.fails(['apply', '--server-side', '--field-manager=mgr-b', '-f', fixture('ssa-deployment-replicas5.yaml')]);
      const err = lines(r.stderr);
      assert.equal(err[0], 'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas', r.stderr);
      assert.equal(err[1], 'Please review the fields above--they currently have other managers. Here');
      assert.equal(await jsonpath('deploy', 'ssa', '{.spec.replicas}'), '2');
      assert.equal(
        await k.ok(['apply', '--server-side', '--field-manager=mgr-b', '--force-conflicts', '-f', fixture('ssa-deployment-replicas5.yaml')]),
        'deployment.apps/ssa serverside-applied\n',
      );
      assert.equal(await jsonpath('deploy', 'ssa', '{.spec.replicas}'), '5');
    });

    await t.test('create -f, then AlreadyExists', async () => {
      const file = fixture('made-deployment.yaml');
      assert.equal(await k.ok(['create', '-f', file]), 'deployment.apps/made created\n');
      const r = await k.fails(['create', '-f', file]);
      assert.equal(r.stderr, `Error from server (AlreadyExists): error when creating "${file}": deployments.apps "made" already exists\n`);
    });

    await t.test('replace -f with a stale resourceVersion: Conflict; with the current one: replaced', async () => {
      const current = await getJson<Deployment & Record<string, unknown>>('deploy', 'made');
      assert.equal(await k.ok(['label', 'deploy', 'made', 'touched=yes']), 'deployment.apps/made labeled\n');
      const stale = k.writeManifest('stale.yaml', { ...current, metadata: { ...current.metadata, labels: { replaced: 'stale' } } });
      const r = await k.fails(['replace', '-f', stale]);
      assert.equal(
        r.stderr,
        `Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on deployments.apps "made": the object has been modified; please apply your changes to the latest version and try again\n`,
      );
      const fresh = await getJson<Deployment & Record<string, unknown>>('deploy', 'made');
      const ok = k.writeManifest('fresh.yaml', { ...fresh, metadata: { ...fresh.metadata, labels: { replaced: 'fresh' } } });
      assert.equal(await k.ok(['replace', '-f', ok]), 'deployment.apps/made replaced\n');
      assert.equal(await k.ok(['get', 'deploy', 'made', '-o', 'jsonpath={.metadata.labels}']), '{"replaced":"fresh"}');
    });

    await t.test('delete -f, then NotFound', async () => {
      assert.equal(await k.ok(['delete', '-f', fixture('made-deployment.yaml')]), 'deployment.apps "made" deleted\n');
      const r = await k.fails(['get', 'deploy', 'made']);
      assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "made" not found\n');
    });

    await t.test('delete pod by name: an unscheduled pod goes at once', async () => {
      const started = Date.now();
      assert.equal(await k.ok(['delete', 'pod', 'multi-pod']), 'pod "multi-pod" deleted\n');
      assert.ok(Date.now() - started < 10_000, 'kubectl did not wait out a grace period');
      const r = await k.fails(['get', 'pod', 'multi-pod']);
      assert.equal(r.stderr, 'Error from server (NotFound): pods "multi-pod" not found\n');
    });

    await t.test('apply with an unknown field: strict decoding error; --validate=false passes and drops it', async () => {
      const file = fixture('bad-deployment.yaml');
      const r = await k.fails(['apply', '-f', file]);
      assert.equal(
        r.stderr,
        `Error from server (BadRequest): error when creating "${file}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"\n`,
      );
      await k.fails(['get', 'deploy', 'bad']);
      assert.equal(await k.ok(['apply', '--validate=false', '-f', file]), 'deployment.apps/bad created\n');
      const d = await getJson<Deployment>('deploy', 'bad');
      assert.equal(d.spec.replicaz, undefined);
      assert.equal(d.spec.replicas, 1, 'replicas defaulted to 1');
    });

    await t.test('create deployment (kubectl sends the body as protobuf)', async () => {
      assert.equal(await k.ok(['create', 'deployment', 'generated', '--image=nginx:1.27']), 'deployment.apps/generated created\n');
      assert.equal(await jsonpath('deploy', 'generated', '{.spec.template.spec.containers[0].name} {.spec.selector.matchLabels.app}'), 'nginx generated');
    });

    await t.test('scale deploy --replicas=3', async () => {
      assert.equal(await k.ok(['create', '-f', k.writeManifest('scaled.yaml', nginxDeployment('scaled'))]), 'deployment.apps/scaled created\n');
      assert.equal(await k.ok(['scale', 'deploy', 'scaled', '--replicas=3']), 'deployment.apps/scaled scaled\n');
      assert.equal(await jsonpath('deploy', 'scaled', '{.spec.replicas}'), '3');
      assert.equal(parseTable(await k.ok(['get', 'deploy', 'scaled'])).rows[0]?.READY, '0/3');
    });

    await t.test('label: add, refuse to overwrite, --overwrite, remove', async () => {
      assert.equal(await k.ok(['run', 'labelled', '--image=busybox:1.36']), 'pod/labelled created\n');
      assert.equal(await k.ok(['label', 'pod', 'labelled', 'env=prod']), 'pod/labelled labeled\n');
      const r = await k.fails(['label', 'pod', 'labelled', 'env=dev']);
      assert.equal(r.stderr, "error: 'env' already has a value (prod), and --overwrite is false\n");
      assert.equal(await k.ok(['label', 'pod', 'labelled', 'env=dev', '--overwrite']), 'pod/labelled labeled\n');
      assert.equal(await jsonpath('pod', 'labelled', '{.metadata.labels.env}'), 'dev');
      assert.equal(await k.ok(['label', 'pod', 'labelled', 'env-']), 'pod/labelled unlabeled\n');
      assert.equal(await jsonpath('pod', 'labelled', '{.metadata.labels}'), '{"run":"labelled"}');
    });

    await t.test('annotate: add, refuse to overwrite, --overwrite', async () => {
      assert.equal(await k.ok(['annotate', 'pod', 'labelled', 'note=a']), 'pod/labelled annotated\n');
      const r = await k.fails(['annotate', 'pod', 'labelled', 'note=b']);
      assert.equal(r.stderr, "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (a)\n");
      assert.equal(await k.ok(['annotate', 'pod', 'labelled', 'note=b', '--overwrite']), 'pod/labelled annotated\n');
      assert.equal(await jsonpath('pod', 'labelled', '{.metadata.annotations.note}'), 'b');
    });

    await t.test('patch --type merge, json and strategic (the default)', async () => {
      assert.equal(await k.ok(['create', '-f', k.writeManifest('patched.yaml', nginxDeployment('patched'))]), 'deployment.apps/patched created\n');
      assert.equal(await k.ok(['patch', 'deploy', 'patched', '--type', 'merge', '-p', '{"spec":{"replicas":4}}']), 'deployment.apps/patched patched\n');
      assert.equal(await jsonpath('deploy', 'patched', '{.spec.replicas}'), '4');
      assert.equal(await k.ok(['patch', 'deploy', 'patched', '--type', 'merge', '-p', '{"spec":{"replicas":4}}']), 'deployment.apps/patched patched (no change)\n');

      assert.equal(await k.ok(['patch', 'deploy', 'patched', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":5}]']), 'deployment.apps/patched patched\n');
      assert.equal(await jsonpath('deploy', 'patched', '{.spec.replicas}'), '5');

      const sidecar = '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}';
      assert.equal(await k.ok(['patch', 'deploy', 'patched', '-p', sidecar]), 'deployment.apps/patched patched\n');
      // Merged by name; upstream's normalizeElementOrder puts the patch's items before the live-only ones.
      assert.equal(await jsonpath('deploy', 'patched', '{.spec.template.spec.containers[*].name}'), 'sidecar nginx', 'strategic merge: the list merges by name');
      assert.equal(await k.ok(['patch', 'deploy', 'patched', '--type', 'merge', '-p', sidecar]), 'deployment.apps/patched patched\n');
      assert.equal(await jsonpath('deploy', 'patched', '{.spec.template.spec.containers[*].name}'), 'sidecar', 'merge patch: the list is replaced');

      const r = await k.fails(['patch', 'deploy', 'patched', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/nope/x","value":1}]']);
      // Upstream answers 422 with a generic Invalid Status (NewGenericServerResponse: no kind, name or causes).
      assert.equal(r.stderr, 'The request is invalid: the server rejected our request due to an error in our request\n');
    });
  });
});
