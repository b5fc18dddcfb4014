/**
 * kubectl's imperative commands: their typed clients send protobuf bodies (create namespace / configmap / secret /
 * deployment / job / service) and autoscale sends an autoscaling/v1 HorizontalPodAutoscaler, stored as v2.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseTable } from '../helpers/kubectl';
import { kubectlSuite } from '../helpers/kubectl-suite';

test('kubectl: imperative create commands and autoscale', { timeout: 120_000 }, async (t) => {
  await kubectlSuite(t, async ({ k }) => {
    assert.equal((await k.ok(['create', 'namespace', 'imp'])).trim(), 'namespace/imp created');
    assert.equal((await k.ok(['-n', 'imp', 'create', 'configmap', 'cfg', '--from-literal=color=blue'])).trim(), 'configmap/cfg created');
    assert.equal((await k.ok(['-n', 'imp', 'create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret'])).trim(), 'secret/pw created');
    assert.equal((await k.ok(['-n', 'imp', 'get', 'secret', 'pw', '-o', 'jsonpath={.data.password}'])).trim(), Buffer.from('s3cret').toString('base64'));
    assert.equal((await k.ok(['-n', 'imp', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0'])).trim(), 'deployment.apps/web created');
    assert.equal((await k.ok(['-n', 'imp', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).trim(), '0', 'an explicit replicas: 0 survives protobuf decoding');
    assert.equal((await k.ok(['-n', 'imp', 'create', 'job', 'once', '--image=busybox'])).trim(), 'job.batch/once created');
    assert.match(await k.ok(['-n', 'imp', 'get', 'job', 'once', '-o', 'jsonpath={.spec.selector.matchLabels}']), /controller-uid/);
    assert.equal((await k.ok(['-n', 'imp', 'create', 'service', 'clusterip', 'svc', '--tcp=80:8080'])).trim(), 'service/svc created');
    assert.match(await k.ok(['-n', 'imp', 'get', 'svc', 'svc', '-o', 'jsonpath={.spec.clusterIP}']), /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);

    assert.equal((await k.ok(['-n', 'imp', 'autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80'])).trim(), 'horizontalpodautoscaler.autoscaling/web autoscaled');
    const { rows } = parseTable(await k.ok(['-n', 'imp', 'get', 'hpa']));
    assert.deepEqual(
      rows.map((r) => [r.NAME, r.REFERENCE, r.TARGETS, r.MINPODS, r.MAXPODS]),
      [['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', '5']],
    );
    const v1 = JSON.parse(await k.ok(['get', '--raw', '/apis/autoscaling/v1/namespaces/imp/horizontalpodautoscalers/web'])) as { apiVersion: string; spec: Record<string, unknown> };
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 80);
  });
});
