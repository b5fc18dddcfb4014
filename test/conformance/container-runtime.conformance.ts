/**
 * The ContainerRuntime conformance suite: the contract written in src/kubelet/runtime/runtime.ts. Every runtime
 * (sim, process) runs it from test/conformance/container-runtime-<impl>.test.ts with a factory. It uses only the
 * interface and portable programs (sh -c with echo, sleep, exit, true, false), so a runtime that runs real processes
 * passes it unchanged. This file covers version, images and sandboxes; containers are in
 * ./container-runtime-containers.conformance.ts, which it includes.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerConformance } from './container-runtime-containers.conformance';
import { pull, rejectsWithReason, T, withHarness, type RuntimeFactory } from './container-runtime-assert';

/** References that do not parse, with the kubelet's InvalidImageName message (upstream wording). */
const INVALID_REFS: [string, string][] = [
  ['busyBOX', 'invalid reference format: repository name (library/busyBOX) must be lowercase'],
  ['THIS IS NOT A VALID IMAGE REFERENCE!!', 'invalid reference format: repository name (library/THIS IS NOT A VALID IMAGE REFERENCE!!) must be lowercase'],
  ['registry.hub.docker.com/library//nginx:latest', 'invalid reference format'],
  [':sha-0b293ab', 'invalid reference format'],
  ['nginx:', 'invalid reference format'],
  ['nginx@sha256:xyz', 'invalid reference format'],
  ['-nginx', 'invalid reference format'],
];

export function containerRuntimeConformance(name: string, factory: RuntimeFactory): void {
  const run = (fn: Parameters<typeof withHarness>[1]) => withHarness(factory, fn);

  describe(`ContainerRuntime conformance: ${name}`, () => {
    it('version names the runtime and speaks CRI v1', T, run(async ({ runtime }) => {
      const v = runtime.version();
      assert.match(v.runtimeName, /^\S+$/);
      assert.ok(v.runtimeVersion.length > 0);
      assert.equal(v.runtimeApiVersion, 'v1');
    }));

    describe('images', () => {
      it('a pull makes the image present; a second pull with IfNotPresent fetches nothing', T, run(async (h) => {
        assert.equal(await h.runtime.imageStatus(h.images.shell), undefined, 'absent before the pull');
        const first = await pull(h, h.images.shell);
        assert.match(first.imageId, /^sha256:[0-9a-f]{64}$/);
        assert.ok(first.sizeBytes > 0);
        assert.equal(first.cached, false);
        const again = await h.runtime.pullImage(h.images.shell); // no time needs to pass
        assert.deepEqual({ ...again, cached: true }, again);
        assert.equal(again.imageId, first.imageId);
        const status = await h.runtime.imageStatus(h.images.shell);
        assert.equal(status?.imageId, first.imageId);
        assert.ok(status?.repoTags.includes(first.imageRef), 'the normalized reference is a repo tag');
        const ids = (await h.runtime.listImages()).map((i) => i.imageId);
        assert.ok(ids.includes(first.imageId));
      }));

      it('Always fetches again; Never fails for an absent image and succeeds for a present one', T, run(async (h) => {
        await rejectsWithReason(h.runtime.pullImage(h.images.other, 'Never'), 'ErrImageNeverPull', [
          `Container image "${h.images.other}" is not present with pull policy of Never`,
        ]);
        const first = await pull(h, h.images.other);
        const always = await pull(h, h.images.other, 'Always');
        assert.equal(always.cached, false);
        assert.equal(always.imageId, first.imageId);
        assert.equal((await h.runtime.pullImage(h.images.other, 'Never')).cached, true);
      }));

      it('references that do not parse fail with InvalidImageName in the kubelet\'s words, without a pull', T, run(async (h) => {
        for (const [ref, parseError] of INVALID_REFS) {
          await rejectsWithReason(h.runtime.pullImage(ref), 'InvalidImageName', [
            `Failed to apply default image tag "${ref}": couldn't parse image name "${ref}": ${parseError}`,
          ]);
          await rejectsWithReason(h.runtime.imageStatus(ref), 'InvalidImageName');
        }
      }));

      it('an image the registry does not have fails with ErrImagePull', T, (t) => run(async (h) => {
        const missing = h.images.missing;
        if (missing === undefined) return t.skip('no registry behind this runtime: every pull succeeds');
        await rejectsWithReason(pull(h, missing), 'ErrImagePull', ['failed to pull and unpack image', 'failed to resolve reference']);
        assert.equal(await h.runtime.imageStatus(missing), undefined);
      })());

      it('concurrent pulls of one reference end in one image', T, run(async (h) => {
        const results = await Promise.all([pull(h, h.images.shell), pull(h, h.images.shell), pull(h, h.images.shell)]);
        assert.equal(new Set(results.map((r) => r.imageId)).size, 1);
        assert.equal((await h.runtime.listImages()).filter((i) => i.imageId === results[0].imageId).length, 1);
      }));

      it('removeImage by reference or id makes it absent; removing an absent image is fine', T, run(async (h) => {
        const a = await pull(h, h.images.shell);
        const b = await pull(h, h.images.other);
        await h.runtime.removeImage(h.images.shell);
        assert.equal(await h.runtime.imageStatus(h.images.shell), undefined);
        await h.runtime.removeImage(b.imageId);
        assert.equal(await h.runtime.imageStatus(h.images.other), undefined);
        await h.runtime.removeImage(a.imageId);
        assert.deepEqual((await h.runtime.listImages()).filter((i) => i.imageId === a.imageId || i.imageId === b.imageId), []);
      }));
    });

    describe('sandboxes', () => {
      it('create → ready with its IP; stop → notready; remove → gone (twice is fine)', T, run(async ({ runtime, sandboxIp }) => {
        const id = await runtime.createSandbox('uid-1', { ip: '10.244.0.7', name: 'web-1', namespace: 'default', labels: { app: 'web' } });
        const s = await runtime.sandboxStatus(id);
        assert.deepEqual([s.id, s.podUid, s.state, s.ip, s.config.labels?.app], [id, 'uid-1', 'ready', sandboxIp ?? '10.244.0.7', 'web']);
        assert.ok((await runtime.listSandboxes()).some((x) => x.id === id));
        await runtime.stopSandbox(id);
        await runtime.stopSandbox(id);
        assert.equal((await runtime.sandboxStatus(id)).state, 'notready');
        await runtime.removeSandbox(id);
        await runtime.removeSandbox(id);
        await rejectsWithReason(runtime.sandboxStatus(id), 'NotFound');
        assert.ok(!(await runtime.listSandboxes()).some((x) => x.id === id));
      }));

      it('ids are unique; an unknown sandbox is NotFound for stop and createContainer', T, run(async (h) => {
        const ids = await Promise.all([1, 2, 3].map((i) => h.runtime.createSandbox(`uid-${i}`, { ip: `10.0.0.${i}` })));
        assert.equal(new Set(ids).size, 3);
        await rejectsWithReason(h.runtime.stopSandbox('nope'), 'NotFound');
        await pull(h, h.images.shell);
        await rejectsWithReason(h.runtime.createContainer('nope', { name: 'c', image: h.images.shell }), 'NotFound');
      }));

      it('a container needs a ready sandbox and a present image', T, run(async (h) => {
        const sb = await h.runtime.createSandbox('uid', { ip: '10.0.0.1' });
        await rejectsWithReason(h.runtime.createContainer(sb, { name: 'c', image: h.images.shell }), 'FailedPrecondition');
        await pull(h, h.images.shell);
        await h.runtime.stopSandbox(sb);
        await rejectsWithReason(h.runtime.createContainer(sb, { name: 'c', image: h.images.shell }), 'FailedPrecondition');
      }));
    });

    containerConformance(factory);
  });
}
