/**
 * depthExceededAt / the parse guard: nesting is measured on the text (JSON exactly, YAML within a factor 2 and never
 * refusing what nests no deeper than the limit), too-deep documents are refused by parseManifests with go-yaml's
 * words while the others in the file still parse, and repeated deep documents never reach the `yaml` package (two
 * ~1000-deep parses in a row used to kill the process in V8's RegExp compiler).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { depthExceededAt, MAX_MANIFEST_DEPTH, parseManifests } from '../../../../src/ui/manifest';

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

const nested = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 3 })),
})).node;

describe('depthExceededAt', () => {
  it('is exact on JSON text', () => {
    fc.assert(fc.property(nested, (v) => {
      const d = depthOf(v);
      const text = JSON.stringify(v);
      assert.equal(depthExceededAt(text, d), undefined);
      if (d > 0) assert.notEqual(depthExceededAt(text, d - 1), undefined);
    }), { numRuns: 300 });
  });

  it('never refuses block YAML that nests no deeper than the limit, and catches twice the limit', () => {
    fc.assert(fc.property(nested, (v) => {
      const d = depthOf(v);
      const text = stringify({ root: v }, { lineWidth: 0 });
      assert.equal(depthExceededAt(text, d + 1), undefined, text);
      if (d >= 4) assert.notEqual(depthExceededAt(text, Math.floor(d / 2) - 1), undefined, text);
    }), { numRuns: 300 });
  });

  for (const [name, text] of [
    ['brackets in quoted scalars', 'a: "[[[[[[[[[["\nb: \'{{{{{{{{\'\n'],
    ['brackets in plain scalars', 'a: x[[[[[[[[[[\nb: y{{{{{{{{{{\n'],
    ['brackets in comments', 'a: 1 # [[[[[[[[[[[[\n# {{{{{{{{{{{{\n'],
    ['brackets and indentation in a block scalar', 'a: |\n' + Array.from({ length: 12 }, (_, i) => `  ${' '.repeat(i)}[[[{{{\n`).join('') + 'b: 1\n'],
  ]) {
    it(`does not count ${name}`, () => assert.equal(depthExceededAt(text, 2), undefined));
  }

  it('counts flow, block and inline sequence nesting', () => {
    assert.equal(depthExceededAt('a: [[[1]]]\n', 4), undefined);
    assert.equal(depthExceededAt('a: [[[1]]]\n', 3), 5);
    assert.equal(depthExceededAt('a:\n  b:\n    c:\n      d: 1\n', 4), undefined);
    assert.equal(depthExceededAt('a:\n  b:\n    c:\n      d: 1\n', 3), 21);
    assert.equal(depthExceededAt('- - - - x\n', 4), undefined);
    assert.notEqual(depthExceededAt('- - - - x\n', 3), undefined);
  });
});

describe('parseManifests refuses too-deep documents', () => {
  const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n';
  const deep = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${'['.repeat(n)}${']'.repeat(n)}\n`;

  it('refuses the deep YAML document with go-yaml\'s words on its line; the others parse', () => {
    const docs = parseManifests(`${head}---\n${deep(5000)}---\n${head}`, 'm.yaml');
    assert.deepEqual(docs.map((d) => !!d.object), [true, false, true]);
    assert.deepEqual(docs.map((d) => d.documentIndex), [0, 1, 2]);
    assert.deepEqual(docs[1].problems.map((p) => [p.message, p.severity, p.range.start.line]), [[`yaml: exceeded max depth of ${MAX_MANIFEST_DEPTH}`, 'error', 9]]);
  });

  it('refuses a deep JSON value in a JSON stream', () => {
    const ok = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ok"}}';
    const docs = parseManifests(`${ok}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":${'['.repeat(3000)}${']'.repeat(3000)}}\n${ok}`, 'm.json');
    assert.deepEqual(docs.map((d) => d.problems.map((p) => p.message)), [[], [`json: exceeded max depth of ${MAX_MANIFEST_DEPTH}`], []]);
  });

  it('parses a document just under the limit', () => {
    const docs = parseManifests(deep(MAX_MANIFEST_DEPTH - 2), 'm.yaml');
    assert.deepEqual(docs[0].problems, []);
    assert.ok(docs[0].object);
  });

  it('survives deep documents again and again (the process used to die on the second)', () => {
    for (let i = 0; i < 20; i++) {
      assert.equal(parseManifests(deep(1500), 'm.yaml')[0].object, undefined);
      assert.equal(parseManifests(`{"a":${'['.repeat(1500)}${']'.repeat(1500)}}`, 'm.json')[0].object, undefined);
    }
  });
});
