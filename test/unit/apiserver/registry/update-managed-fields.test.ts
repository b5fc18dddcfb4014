/**
 * managedFields of an update are recorded as upstream's update handler records them: its field manager runs before
 * mutating admission, so what an admission plugin adds on UPDATE is in the object but not the updater's. Shown with
 * DefaultTolerationSeconds, which admits pod updates: a pod created while the plugin was off (a cluster started
 * without it) gets its tolerations at its first update after a restart with the plugin on. Through the real API
 * server in process, on one data directory.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultAdmissionOrder } from '../../../../src/apiserver/admission/registry';
import { startTestCluster } from '../../../helpers/apiserver';

interface Entry {
  manager?: string;
  operation?: string;
  fieldsV1?: Record<string, Record<string, unknown>>;
}
interface Pod {
  metadata: { name: string; labels?: Record<string, string>; managedFields?: Entry[] };
  spec: { tolerations?: { key?: string; tolerationSeconds?: number }[] };
}

describe('managedFields on update', () => {
  it('what mutating admission adds on UPDATE is not the updater’s; the updater’s own change is', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-update-mf-'));
    try {
      const without = defaultAdmissionOrder.filter((n) => n !== 'DefaultTolerationSeconds');
      let c = await startTestCluster({ dir, admissionPlugins: without });
      let created: Pod;
      try {
        const res = await c.inProcess().request({
          method: 'POST',
          path: '/api/v1/namespaces/default/pods',
          query: { fieldManager: 'creator' },
          body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'p' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        created = res.body as Pod;
        assert.equal(created.spec.tolerations, undefined, 'created without DefaultTolerationSeconds');
      } finally {
        await c.stop();
      }

      c = await startTestCluster({ dir });
      try {
        const body = structuredClone(created);
        body.metadata.labels = { app: 'p', tier: 'web' };
        const res = await c.inProcess().request({ method: 'PUT', path: '/api/v1/namespaces/default/pods/p', query: { fieldManager: 'updater' }, body });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const pod = res.body as Pod;
        assert.deepEqual(
          pod.spec.tolerations?.map((t) => [t.key, t.tolerationSeconds]),
          [['node.kubernetes.io/not-ready', 300], ['node.kubernetes.io/unreachable', 300]],
          'DefaultTolerationSeconds ran on the update',
        );
        const updater = pod.metadata.managedFields?.find((e) => e.manager === 'updater');
        assert.equal(updater?.operation, 'Update');
        assert.deepEqual(updater?.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:tier': {} } } }, 'the updater owns its label, not the tolerations');
        for (const e of pod.metadata.managedFields ?? []) assert.equal(e.fieldsV1?.['f:spec']?.['f:tolerations'], undefined, `${e.manager} owns no tolerations`);
      } finally {
        await c.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
