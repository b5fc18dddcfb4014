/**
 * `kubectl rollout status|history|undo` and `kubectl get ds` (the real kubectl) against a cluster running the
 * DaemonSet controller on a fake clock, the test creating the Nodes and playing the kubelet. Skipped without kubectl.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { R, type Obj } from '../../../src/controllers/framework';
import { daemonSetControllerFactory } from '../../../src/controllers/daemonset';
import { startControllerTest, type ControllerTest } from '../../helpers/controllers';
import { findKubectl, Kubectl } from '../../helpers/kubectl';

const NS = 'default';
const image = (o: Obj) => (o.spec as { containers?: { image: string }[]; template?: { spec: { containers: { image: string }[] } } }).containers?.[0].image ?? '';
const isReady = (p: Obj) => ((p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

describe('kubectl against the DaemonSet controller', async () => {
  const found = await findKubectl();
  let t: ControllerTest;
  let k: Kubectl;
  before(async () => {
    if (!found.ok) return;
    t = await startControllerTest([daemonSetControllerFactory]);
    k = new Kubectl({ kubeconfig: t.tc.cluster.kubeconfig });
    for (const n of ['k1', 'k2']) await t.admin.create(R.nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
  });
  after(async () => {
    if (!found.ok) return;
    await k.dispose();
    await t.stop();
  });
  const skip = found.ok ? false : found.reason;

  /** The kubelet: every live pod of the set becomes Running and Ready, until all carry `want`. */
  async function drive(name: string, want: string): Promise<void> {
    await t.until(async () => {
      await t.settle();
      const pods = (await t.list(R.pods, NS, { labelSelector: `app=${name}` })).filter((p) => !p.metadata?.deletionTimestamp);
      for (const p of pods) {
        if (isReady(p)) continue;
        await t.admin.patch(R.pods, NS, String(p.metadata?.name), { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'merge', 'status');
      }
      return pods.length === 2 && pods.every((p) => isReady(p) && image(p) === want);
    }, `${name} at ${want}`, 20_000);
  }

  it('rollout status waits for the pods, then reports success', { skip }, async () => {
    await k.ok(['create', '-f', k.writeManifest('ds.yaml', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kagent', namespace: NS },
      spec: { selector: { matchLabels: { app: 'kagent' } }, template: { metadata: { labels: { app: 'kagent' } }, spec: { containers: [{ name: 'c', image: 'agent:1' }] } } },
    })]);
    const w = k.watch(['rollout', 'status', 'daemonset/kagent']);
    await w.until(/Waiting for daemon set "kagent" rollout to finish: 0 of 2 updated pods are available\.\.\./, 'waiting line');
    await drive('kagent', 'agent:1');
    await w.until(/daemon set "kagent" successfully rolled out\n/, 'done line');
    const table = await k.ok(['get', 'ds', 'kagent']);
    assert.match(table, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nkagent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+/);
  });

  it('rollout history lists the revisions with their change-cause, and undo goes back', { skip }, async () => {
    await k.ok(['annotate', 'daemonset/kagent', 'kubernetes.io/change-cause=image 2']);
    assert.match(await k.ok(['set', 'image', 'daemonset/kagent', 'c=agent:2']), /daemonset.apps\/kagent image updated/);
    await drive('kagent', 'agent:2');
    const out = await k.ok(['rollout', 'history', 'daemonset/kagent']);
    assert.match(out, /^daemonset\.apps\/kagent \nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+image 2\n\n$/);
    assert.match(await k.ok(['rollout', 'history', 'daemonset/kagent', '--revision=1']), /Image:\s+agent:1/);
    assert.equal(await k.ok(['rollout', 'undo', 'daemonset/kagent']), 'daemonset.apps/kagent rolled back\n');
    await drive('kagent', 'agent:1');
    const ds = await t.admin.get(R.daemonsets, NS, 'kagent');
    assert.equal(image((ds.spec as { template: Obj }).template), 'agent:1');
    // The revision rolled back to is renumbered as the newest.
    await t.until(async () => /^daemonset\.apps\/kagent \nREVISION\s+CHANGE-CAUSE\n2\s+image 2\n3\s+<none>\n\n$/.test(await k.ok(['rollout', 'history', 'daemonset/kagent'])), 'history 2, 3');
  });
});
