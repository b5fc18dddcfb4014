/**
 * Image references as distribution/reference (ParseNormalizedNamed + default tag) reads them: normalization and
 * the parse errors, worded as upstream.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { isImageRefError, parseImageRef } from '../../../../src/kubelet/runtime/image-ref';

const D = 'sha256:' + 'a'.repeat(64);

describe('parseImageRef', () => {
  const ok: [string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['library/nginx', 'docker.io/library/nginx:latest'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/library/busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['bitnami/redis:7.2', 'docker.io/bitnami/redis:7.2'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/team/app:v1', 'localhost:5000/team/app:v1'],
    ['quay.io/a/b/c:x_y.z-1', 'quay.io/a/b/c:x_y.z-1'],
    [`nginx@${D}`, `docker.io/library/nginx@${D}`],
    [`nginx:1.27@${D}`, `docker.io/library/nginx:1.27@${D}`],
    ['my_image__x', 'docker.io/library/my_image__x:latest'],
    ['a-b---c', 'docker.io/library/a-b---c:latest'],
  ];
  for (const [ref, normalized] of ok) {
    it(`${ref} → ${normalized}`, () => {
      const r = parseImageRef(ref);
      assert.ok(!isImageRefError(r), JSON.stringify(r));
      assert.equal(r.normalized, normalized);
    });
  }

  const bad: [string, string][] = [
    ['', 'invalid reference format'],
    ['busyBOX', 'invalid reference format: repository name (library/busyBOX) must be lowercase'],
    ['DUMMY_IMAGE:TEST', 'invalid reference format: repository name (library/DUMMY_IMAGE) must be lowercase'],
    ['hfhugs/unsloth-gemma-3-4b-it-GGUF:Q4_K_XL', 'invalid reference format: repository name (hfhugs/unsloth-gemma-3-4b-it-GGUF) must be lowercase'],
    ['server-<your student ID>', 'invalid reference format: repository name (library/server-<your student ID>) must be lowercase'],
    ['ghcr.io/${{ github.repository }}:latest', 'invalid reference format'],
    ['registry.hub.docker.com/library//nginx:latest', 'invalid reference format'],
    [':sha-0b293ab', 'invalid reference format'],
    ['nginx:', 'invalid reference format'],
    ['nginx:-x', 'invalid reference format'],
    ['nginx@sha256:abc', 'invalid reference format'],
    ['https://nginx', 'invalid reference format'],
    ['nginx/', 'invalid reference format'],
    ['a'.repeat(64), `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`],
    ['x/' + 'a'.repeat(260), 'repository name must not be more than 255 characters'],
  ];
  for (const [ref, error] of bad) {
    it(`${JSON.stringify(ref.slice(0, 50))} → ${error.slice(0, 60)}`, () => {
      assert.deepEqual(parseImageRef(ref), { error });
    });
  }

  it('property: normalizing is idempotent', () => {
    const comp = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)?$/);
    const ref = fc.tuple(fc.option(fc.constantFrom('quay.io', 'localhost:5000', 'docker.io')), fc.array(comp, { minLength: 1, maxLength: 3 }), fc.option(fc.stringMatching(/^\w[\w.-]{0,10}$/)));
    fc.assert(
      fc.property(ref, ([domain, path, tag]) => {
        const s = `${domain ? `${domain}/` : ''}${path.join('/')}${tag ? `:${tag}` : ''}`;
        const r = parseImageRef(s);
        assert.ok(!isImageRefError(r), `${s}: ${JSON.stringify(r)}`);
        const again = parseImageRef(r.normalized);
        assert.ok(!isImageRefError(again));
        assert.equal(again.normalized, r.normalized);
      }),
    );
  });
});
