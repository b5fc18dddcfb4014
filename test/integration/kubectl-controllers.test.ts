/**
 * The whole controller manager (every controller, real clock) driven by the real kubectl, as a user meets it:
 * a Deployment gets its ReplicaSet and Pods (Pending: no scheduler or kubelets yet), scaling follows, the events
 * kubectl shows are there, deleting the Deployment removes its ReplicaSet and Pods (garbage collector), deleting a
 * namespace removes it with its content, `standard` is the default StorageClass and componentstatuses says the
 * controller manager is healthy.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { lines, parseTable } from '../helpers/kubectl';
import { kubectlSuite } from '../helpers/kubectl-suite';
import { waitFor } from '../helpers/wait';

test('kubectl: the controller manager at work', { timeout: 180_000 }, async (t) => {
  await kubectlSuite(
    t,
    async ({ k }) => {
      const rows = async (args: string[]) => parseTable(await k.ok(args)).rows;
      const until = async <T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> => (await waitFor(fn, what, { timeoutMs: 20_000, intervalMs: 200 })) as T;

      await t.test('a Deployment gets a ReplicaSet and its pods, and scaling follows', async () => {
        assert.equal(await k.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3']), 'deployment.apps/web created\n');
        const pods = await until(async () => {
          const r = await rows(['get', 'pods', '-l', 'app=web']);
          return r.length === 3 ? r : undefined;
        }, '3 pods');
        for (const p of pods) {
          assert.match(p.NAME, /^web-[a-z0-9]+-[a-z0-9]{5}$/);
          assert.equal(p.STATUS, 'Pending');
        }
        const rs = await rows(['get', 'rs', '-l', 'app=web']);
        assert.equal(rs.length, 1);
        assert.match(rs[0].NAME, /^web-[a-z0-9]+$/);
        await until(async () => (await rows(['get', 'rs', '-l', 'app=web']))[0]?.CURRENT === '3', 'rs current 3');
        const events = await until<string>(async () => {
          const out = await k.ok(['get', 'events', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
          return out.includes('ScalingReplicaSet') && out.includes('SuccessfulCreate') ? out : undefined;
        }, 'events');
        assert.ok(lines(events).some((l) => new RegExp(`^ScalingReplicaSet\\s+Scaled up replica set ${rs[0].NAME} from 0 to 3$|^ScalingReplicaSet\\s+Scaled up replica set ${rs[0].NAME} to 3$`).test(l)), events);
        assert.ok(lines(events).some((l) => /^SuccessfulCreate\s+Created pod: web-[a-z0-9]+-[a-z0-9]{5}$/.test(l)), events);

        assert.equal(await k.ok(['scale', 'deployment', 'web', '--replicas=1']), 'deployment.apps/web scaled\n');
        await until(async () => (await rows(['get', 'pods', '-l', 'app=web'])).filter((p) => p.STATUS !== 'Terminating').length === 1, 'scaled to 1');
        // The Deployment's status follows the ReplicaSet's asynchronously.
        await until(async () => (await rows(['get', 'deployment', 'web']))[0]?.['UP-TO-DATE'] === '1', 'deployment up-to-date 1');
      });

      await t.test('deleting the Deployment removes its ReplicaSet and pods', async () => {
        assert.equal(await k.ok(['delete', 'deployment', 'web']), 'deployment.apps "web" deleted\n');
        await until(async () => (await k.ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name'])) === '', 'dependents gone');
      });

      await t.test('deleting a namespace removes it and everything in it', async () => {
        await k.ok(['create', 'namespace', 'scratch']);
        await k.ok(['create', 'configmap', 'c', '-n', 'scratch', '--from-literal=a=b']);
        await k.ok(['create', 'deployment', 'd', '-n', 'scratch', '--image=nginx:1.27']);
        await until(async () => (await k.ok(['get', 'pods', '-n', 'scratch', '-o', 'name'])) !== '', 'a pod in scratch');
        assert.equal(await k.ok(['delete', 'namespace', 'scratch', '--wait=false']), 'namespace "scratch" deleted\n');
        await until(async () => (await k.run(['get', 'namespace', 'scratch'])).code !== 0, 'namespace gone');
      });

      await t.test('standard is the default StorageClass; the controller manager is healthy', async () => {
        const sc = await until(async () => {
          const r = await rows(['get', 'storageclass']);
          return r.length ? r : undefined;
        }, 'a StorageClass');
        assert.equal(sc[0].NAME, 'standard (default)');
        const cs = await rows(['get', 'componentstatuses']);
        assert.equal(cs.find((r) => r.NAME === 'controller-manager')?.STATUS, 'Healthy');
      });
    },
    { controllers: ['*'] },
  );
});
