/**
 * Issue 11, Bad input — the extension's manifest apply path: fuzzed manifests (malformed YAML and JSON, bad
 * documents among good ones, alias and merge-key bombs, deep nesting, huge scalars, invalid objects) go through the
 * size check, parseManifests and ManifestRunner against the real API server in-process
 * (test/helpers/reliability/manifest-apply-fuzz.ts): no crash, every error clear, no 5xx, bad documents not sent,
 * good ones sent, nothing stored that no apply reported, bounded time and memory; a 50 MB file is refused by size.
 * A negative control shows the checker catches planted breaches.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifests, type ManifestRun } from '../../src/ui/manifest';
import { checkRun, emptyManifestResult, runManifestFuzz } from '../helpers/reliability/manifest-apply-fuzz';
import { aliasBomb } from '../helpers/reliability/manifest-inputs';

describe('reliability: manifest apply fuzz', () => {
  it('300 fuzzed manifests: no crash, clear errors, no 5xx, nothing invalid stored; 50 MB refused by size', { timeout: 180_000 }, async () => {
    const r = await runManifestFuzz({ cases: 300, seed: 1102 });
    assert.deepEqual(r.violations, []);
    assert.equal(r.manifests, 300);
    assert.equal(r.crashes, 0);
    assert.equal(r.unclearErrors, 0);
    assert.equal(r.serverErrors, 0);
    assert.ok(r.applied > 30 && r.refusedDocuments > 30, `both good and bad documents were tried: ${JSON.stringify(r)}`);
    // bounds with a wide margin for a loaded 2-core machine (the bench reports the real figures)
    assert.ok(r.maxFileMs < 20_000, `slowest file ${r.maxFileMs} ms`);
    assert.ok(r.heapRetainedMb < 200, `heap retained ${r.heapRetainedMb} MB`);
    assert.ok(r.bigFile?.refused, JSON.stringify(r.bigFile));
    assert.equal(r.bigFile.message, 'big.yaml is 50.0 MB; KubeLab applies manifests up to 8 MB');
    assert.ok(r.bigFile.ms < 100, `the size check reads no file: ${r.bigFile.ms} ms`);
    assert.ok(r.limitFile && r.limitFile.parseMs < 30_000 && r.limitFile.heapMb < 1024, JSON.stringify(r.limitFile));
  });

  it('negative control: a sent bad document, an unclear error, a 5xx and a silent empty document are all reported', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- just a list\n---\nkind: [x\n';
    const docs = parseManifests(text, 'neg.yaml');
    assert.equal(docs.length, 3);
    const silent = { ...docs[1], problems: [] };
    const run: ManifestRun = {
      diagnostics: [],
      outcomes: [
        { doc: docs[0], error: 'error: undefined', code: 0 },
        { doc: docs[2], error: 'Error from server (InternalError): boom', code: 500 },
      ],
    };
    const r = emptyManifestResult();
    checkRun({ name: 'neg.yaml', text, what: 'planted' }, [docs[0], silent, docs[2]], run, r, new Set());
    assert.equal(r.unclearErrors, 1, r.violations.join('\n'));
    assert.equal(r.serverErrors, 1, r.violations.join('\n'));
    assert.ok(r.violations.some((v) => v.includes('was sent despite')), r.violations.join('\n'));
    assert.ok(r.violations.some((v) => v.includes('says nothing about why')), r.violations.join('\n'));
  });

  it('an alias bomb is refused quickly with the yaml package\'s resource-exhaustion message', () => {
    const t0 = Date.now();
    const docs = parseManifests(aliasBomb(10, 10), 'bomb.yaml');
    assert.ok(Date.now() - t0 < 2_000);
    assert.deepEqual(docs.map((d) => [d.object, d.problems.map((p) => p.message)]), [[undefined, ['Excessive alias count indicates a resource exhaustion attack']]]);
  });
});
