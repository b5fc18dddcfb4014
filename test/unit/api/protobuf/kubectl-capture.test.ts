/**
 * Live check against the real kubectl (skipped without one): every protobuf-sending command in capture.ts is run
 * twice — with --dry-run=client -o json (the JSON kubectl builds) and for real against a front that captures the
 * protobuf body and forwards it decoded — and the decoded body must equal the dry-run JSON. This is how
 * fixtures.json was made; it also proves kubectl's create commands succeed once the body is decoded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtobufBody } from '../../../../src/api/protobuf';
import { findKubectl } from '../../../helpers/kubectl';
import { captureAll, startCaptureFront, type CaptureFront } from './capture';

describe('kubectl 1.32 protobuf bodies, live', async () => {
  const found = await findKubectl();
  let front: CaptureFront | undefined;
  before(async () => {
    if (found.ok) front = await startCaptureFront();
  });
  after(async () => {
    await front?.close();
  });

  it('decode to what kubectl --dry-run=client -o json prints, and the commands succeed', { skip: found.ok ? false : found.reason, timeout: 240_000 }, async () => {
    const { fixtures, problems } = await captureAll(front!);
    assert.deepEqual(problems, []);
    assert.ok(fixtures.length >= 20);
    for (const f of fixtures) {
      assert.deepStrictEqual(decodeProtobufBody(Buffer.from(f.protobuf, 'base64')).object, f.dryRun, f.name);
    }
    const listed = await front!.kubectl.ok(['get', 'deployments,configmaps,secrets,services,jobs,cronjobs,roles,rolebindings,ingresses,pdb,quota', '-o', 'name']);
    for (const name of ['deployment.apps/web', 'configmap/cfg', 'secret/sec', 'service/svc', 'job.batch/once', 'cronjob.batch/tick', 'ingress.networking.k8s.io/ing', 'poddisruptionbudget.policy/pdb']) {
      assert.match(listed, new RegExp(`^${name.replace(/\./g, '\\.')}$`, 'm'));
    }
  });
});
