/**
 * Leader election as a kubectl user sees it on a normal (single control plane) cluster: `kubectl get leases -n
 * kube-system` lists kube-controller-manager and kube-scheduler held by `<hostname>_<uuid>` identities, each with a
 * LeaderElection "became leader" event; stopping the scheduler releases its Lease (no holder), starting it again
 * takes it back with one more transition.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { test } from 'node:test';
import { parseTable } from '../helpers/kubectl';
import { kubectlSuite } from '../helpers/kubectl-suite';
import { waitFor } from '../helpers/wait';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('kubectl: the controller manager and the scheduler hold their Leases in kube-system', { timeout: 120_000 }, async (t) => {
  await kubectlSuite(
    t,
    async ({ k, tc }) => {
      const holderRe = new RegExp(`^${esc(os.hostname())}_${UUID}$`);
      const leases = async () => parseTable(await k.ok(['get', 'leases', '-n', 'kube-system'])).rows;

      await t.test('get leases shows both components with holders', async () => {
        const rows = await leases();
        const byName = Object.fromEntries(rows.map((r) => [r.NAME, r]));
        for (const name of ['kube-controller-manager', 'kube-scheduler']) {
          assert.ok(byName[name], `${name} in ${JSON.stringify(rows)}`);
          assert.match(byName[name].HOLDER, holderRe);
        }
        assert.notEqual(byName['kube-controller-manager'].HOLDER, byName['kube-scheduler'].HOLDER, 'one identity per component');
        const spec = JSON.parse(await k.ok(['get', 'lease', 'kube-controller-manager', '-n', 'kube-system', '-o', 'jsonpath={.spec}'])) as Record<string, unknown>;
        assert.equal(spec.leaseDurationSeconds, 15);
        assert.equal(spec.leaseTransitions, 0);
        assert.match(String(spec.renewTime), /\.\d{6}Z$/);
      });

      await t.test('LeaderElection events: "<identity> became leader" from each component', async () => {
        const out = await waitFor(
          async () => {
            const o = await k.ok(['get', 'events', '-n', 'kube-system', '--field-selector', 'reason=LeaderElection', '-o', 'custom-columns=OBJ:.involvedObject.kind,NAME:.involvedObject.name,SRC:.source.component,MSG:.message', '--no-headers']);
            return o.trim().split('\n').length >= 2 ? o : undefined;
          },
          'two LeaderElection events',
          { timeoutMs: 10_000, intervalMs: 200 },
        );
        const rows = (out as string).trim().split('\n').map((l) => l.trim().split(/\s+/));
        const kcm = rows.find((r) => r[1] === 'kube-controller-manager');
        const sched = rows.find((r) => r[1] === 'kube-scheduler');
        assert.ok(kcm && sched, out as string);
        assert.deepEqual([kcm[0], kcm[2], kcm.slice(4).join(' ')], ['Lease', 'kube-controller-manager', 'became leader']);
        assert.match(kcm[3], holderRe);
        assert.deepEqual([sched[0], sched[2], sched.slice(4).join(' ')], ['Lease', 'default-scheduler', 'became leader']);
      });

      await t.test('stopping the scheduler releases its Lease; starting it takes it back', async () => {
        const before = (await leases()).find((r) => r.NAME === 'kube-scheduler')!.HOLDER;
        await tc.cluster.stopComponent('kube-scheduler');
        const released = JSON.parse(await k.ok(['get', 'lease', 'kube-scheduler', '-n', 'kube-system', '-o', 'jsonpath={.spec}'])) as Record<string, unknown>;
        assert.equal(released.holderIdentity, '');
        assert.equal(released.leaseDurationSeconds, 1);
        assert.equal((await leases()).find((r) => r.NAME === 'kube-scheduler')!.HOLDER, '');
        await tc.cluster.startComponent('kube-scheduler');
        const again = JSON.parse(await k.ok(['get', 'lease', 'kube-scheduler', '-n', 'kube-system', '-o', 'jsonpath={.spec}'])) as Record<string, unknown>;
        assert.equal(again.holderIdentity, before, 'the same control plane keeps its identity');
        assert.equal(again.leaseTransitions, 1);
      });
    },
    { controllers: ['*'], scheduler: true },
  );
});
