/**
 * `kubectl rollout status|history|undo|pause|resume|restart` (the real kubectl 1.32) against a cluster running the
 * Deployment and ReplicaSet controllers on a fake clock, the test playing the kubelet. Skipped without kubectl.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R } from '../../../src/controllers/framework';
import { deploymentControllerFactory } from '../../../src/controllers/deployment';
import { replicaSetControllerFactory } from '../../../src/controllers/replicaset';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { findKubectl, Kubectl } from '../../helpers/kubectl';
import { deploymentManifest, driveRollout, getDeployment, NS, podsOf } from './deployment-helpers';

const image = (d: object) => (d as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0].image;
const progressing = async (t: ControllerTest, name: string) => (await getDeployment(t, name)).status?.conditions?.find((c) => c.type === 'Progressing');

describe('kubectl rollout against the Deployment controller', async () => {
  const found = await findKubectl();
  let t: ControllerTest;
  let k: Kubectl;
  before(async () => {
    if (!found.ok) return;
    t = await startControllerTest([deploymentControllerFactory, replicaSetControllerFactory]);
    k = new Kubectl({ kubeconfig: t.tc.cluster.kubeconfig });
  });
  after(async () => {
    if (!found.ok) return;
    await k.dispose();
    await t.stop();
  });
  const skip = found.ok ? false : found.reason;
  const rsCount = async (app: string) => (await t.list(R.replicasets, NS, { labelSelector: `app=${app}` })).length;

  it('rollout status follows a rollout to "successfully rolled out"', { skip }, async () => {
    await t.admin.create(R.deployments, NS, deploymentManifest('kweb', { replicas: 2 }));
    const w = k.watch(['rollout', 'status', 'deployment/kweb']);
    await w.until(/Waiting for deployment "kweb" rollout to finish: 0 of 2 updated replicas are available\.\.\./, 'waiting line');
    await driveRollout(t, 'kweb');
    await w.until(/deployment "kweb" successfully rolled out\n/, 'done line');
    assert.equal(w.stderr, '');
    assert.match(await k.ok(['rollout', 'status', 'deployment/kweb']), /^deployment "kweb" successfully rolled out\n$/);
    await t.settle();
    const described = await k.ok(['describe', 'deployment/kweb']);
    assert.match(described, /NewReplicaSet:\s+kweb-[a-z0-9]+ \(2\/2 replicas created\)/);
    assert.match(described, /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set kweb-[a-z0-9]+ to 2\n/);
    assert.match(described, /Progressing\s+True\s+NewReplicaSetAvailable/);
  });

  it('rollout history lists revisions with their change-cause', { skip }, async () => {
    assert.match(await k.ok(['set', 'image', 'deployment/kweb', 'c=nginx:2']), /deployment.apps\/kweb image updated/);
    await k.ok(['annotate', 'deployment/kweb', 'kubernetes.io/change-cause=image v2']);
    await driveRollout(t, 'kweb');
    await t.until(async () => /2\s+image v2/.test(await k.ok(['rollout', 'history', 'deployment/kweb'])), 'change-cause on revision 2');
    const out = await k.ok(['rollout', 'history', 'deployment/kweb']);
    assert.match(out, /^deployment\.apps\/kweb \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+image v2\n\n$/);
    const rev2 = await k.ok(['rollout', 'history', 'deployment/kweb', '--revision=2']);
    assert.match(rev2, /deployment\.apps\/kweb with revision #2/);
    assert.match(rev2, /Image:\s+nginx:2/);
    assert.match(rev2, /pod-template-hash=/);
  });

  it('rollout undo goes back to the previous revision, which becomes the newest', { skip }, async () => {
    assert.equal(await k.ok(['rollout', 'undo', 'deployment/kweb']), 'deployment.apps/kweb rolled back\n');
    await driveRollout(t, 'kweb');
    assert.equal(image(await getDeployment(t, 'kweb')), 'nginx:1');
    assert.equal(await rsCount('kweb'), 2, 'the old ReplicaSet was reused');
    const out = await k.ok(['rollout', 'history', 'deployment/kweb']);
    assert.match(out, /REVISION\s+CHANGE-CAUSE\n2\s+image v2\n3\s+<none>\n/);
    const rss = await t.list(R.replicasets, NS, { labelSelector: 'app=kweb' });
    const back = rss.find((r) => image(r) === 'nginx:1')!;
    const a = (back.metadata as { annotations: Record<string, string> }).annotations;
    assert.equal(a['deployment.kubernetes.io/revision'], '3');
    assert.equal(a['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await getDeployment(t, 'kweb')).metadata?.annotations?.['deployment.kubernetes.io/revision' as never], '3');
    const r = await k.run(['rollout', 'undo', 'deployment/kweb', '--to-revision=9']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: unable to find specified revision 9 in history\n');
  });

  it('rollout pause holds changes (DeploymentPaused), resume rolls them out (DeploymentResumed)', { skip }, async () => {
    assert.equal(await k.ok(['rollout', 'pause', 'deployment/kweb']), 'deployment.apps/kweb paused\n');
    await t.until(async () => (await progressing(t, 'kweb'))?.reason === 'DeploymentPaused', 'DeploymentPaused');
    const c = await progressing(t, 'kweb');
    assert.deepEqual([c?.status, c?.message], ['Unknown', 'Deployment is paused']);
    await k.ok(['set', 'image', 'deployment/kweb', 'c=nginx:3']);
    await t.settle();
    assert.equal(await rsCount('kweb'), 2, 'no new ReplicaSet while paused');
    const undo = await k.run(['rollout', 'undo', 'deployment/kweb']);
    assert.equal(undo.code, 1);
    assert.equal(undo.stderr, "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n");
    assert.equal(await k.ok(['rollout', 'resume', 'deployment/kweb']), 'deployment.apps/kweb resumed\n');
    await t.until(async () => (await rsCount('kweb')) === 3, 'the held change rolls out');
    await driveRollout(t, 'kweb');
    assert.equal(image(await getDeployment(t, 'kweb')), 'nginx:3');
    for (const p of await podsOf(t, 'kweb')) assert.equal((p.spec as { containers: { image: string }[] }).containers[0].image, 'nginx:3');
  });

  it('rollout restart replaces every pod through a new ReplicaSet', { skip }, async () => {
    const before = (await podsOf(t, 'kweb')).map((p) => p.metadata?.name);
    assert.equal(await k.ok(['rollout', 'restart', 'deployment/kweb']), 'deployment.apps/kweb restarted\n');
    await t.until(async () => (await rsCount('kweb')) === 4, 'a new ReplicaSet');
    await driveRollout(t, 'kweb');
    const after = (await podsOf(t, 'kweb')).map((p) => p.metadata?.name);
    assert.equal(after.filter((n) => before.includes(n)).length, 0);
    const d = await getDeployment(t, 'kweb');
    assert.ok((d.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    assert.match(await k.ok(['rollout', 'history', 'deployment/kweb']), /\n5\s+<none>\n/);
  });

  it('rollout status fails once the progress deadline is exceeded', { skip }, async () => {
    await t.admin.create(R.deployments, NS, deploymentManifest('kstuck', { replicas: 1, progressDeadlineSeconds: 10 }));
    await t.until(async () => (await podsOf(t, 'kstuck')).length === 1, 'pod');
    await t.settle();
    await t.advance(11_000);
    await t.until(async () => (await progressing(t, 'kstuck'))?.reason === 'ProgressDeadlineExceeded', 'deadline exceeded');
    const r = await k.run(['rollout', 'status', 'deployment/kstuck']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: deployment "kstuck" exceeded its progress deadline\n');
  });
});
