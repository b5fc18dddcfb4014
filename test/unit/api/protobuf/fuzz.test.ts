/**
 * Robustness: whatever the bytes, decodeProtobufBody returns JSON-safe data or throws a 400 StatusError (never
 * another error, never an internal failure), in bounded time, with bounded nesting and output.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { decodeProtobufBody } from '../../../../src/api/protobuf';
import { StatusError } from '../../../../src/api/status';
import type { Fixture } from './capture';
import { MAGIC, envelope, key, meta, msg, str } from './encoder';

const fixtures = (JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures.json'), 'utf8')) as Fixture[]).map((f) => Buffer.from(f.protobuf, 'base64'));
const EXPECTED = { group: 'apps', version: 'v1', kind: 'Deployment' };

/** Decodes and checks the contract; returns the error message or undefined. */
function check(body: Uint8Array, expected?: typeof EXPECTED): string | undefined {
  try {
    const d = decodeProtobufBody(body, expected);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(d.object)), d.object);
    return undefined;
  } catch (e) {
    if (!(e instanceof StatusError)) throw new Error(`not a StatusError: ${(e as Error).stack ?? String(e)}`);
    assert.equal(e.code, 400);
    assert.doesNotMatch(e.message, /protobuf decoding failed/); // the catch-all for internal errors
    return e.message;
  }
}

/** A byte-level edit of a valid body. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

type Edit = { op: 'set' | 'cut' | 'insert' | 'truncate'; at: number; byte?: number; len?: number; bytes?: Uint8Array };

function mutate(body: Buffer, edits: Edit[]): Buffer {
  let b = Buffer.from(body);
  for (const e of edits) {
    const at = b.length ? e.at % b.length : 0;
    if (e.op === 'set' && b.length) b[at] = e.byte!;
    else if (e.op === 'cut') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.len!)]);
    else if (e.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes!), b.subarray(at)]);
    else if (e.op === 'truncate') b = b.subarray(0, at);
  }
  return b;
}

describe('protobuf decoding is robust', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withKind) => void check(bytes, withKind ? EXPECTED : undefined)), { numRuns: 500 });
  });

  it('random bytes behind the magic', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void check(Buffer.concat([MAGIC, bytes]))), { numRuns: 500 });
  });

  it('random object bytes in a valid envelope of every kind', () => {
    const kinds: [string, string][] = [['apps/v1', 'Deployment'], ['v1', 'Pod'], ['v1', 'Secret'], ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'], ['policy/v1', 'Eviction'], ['autoscaling/v2', 'HorizontalPodAutoscaler']];
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.uint8Array({ maxLength: 400 }), ([av, k], raw) => void check(envelope(av, k, Buffer.from(raw)))), { numRuns: 600 });
  });

  it('mutated real kubectl bodies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 4 }), (body, edits) => void check(mutate(body, edits), EXPECTED)),
      { numRuns: 1500 },
    );
  });

  it('refuses nesting deeper than 100 messages without exhausting the stack', () => {
    const crd = (depth: number): Buffer => {
      let schema = str(5, 'object');
      for (let i = 0; i < depth; i++) schema = msg(28, schema); // not: { not: { … } }
      return envelope('apiextensions.k8s.io/v1', 'CustomResourceDefinition', meta('x'), msg(2, msg(7, str(1, 'v1'), msg(4, msg(1, schema)))));
    };
    assert.equal(check(crd(90)), undefined);
    assert.match(check(crd(5000)) ?? '', /^proto: JSONSchemaProps: nesting deeper than 100 messages$/);
  });

  it('skips deeply nested unknown groups iteratively', () => {
    const groups = Buffer.concat([...Array.from({ length: 200_000 }, () => key(99, 3)), ...Array.from({ length: 200_000 }, () => key(99, 4))]);
    const o = decodeProtobufBody(envelope('v1', 'Namespace', meta('ns'), groups)).object;
    assert.deepEqual(o.metadata, { name: 'ns', creationTimestamp: null });
    assert.equal(check(envelope('v1', 'Namespace', Buffer.concat(Array.from({ length: 200_000 }, () => key(99, 3))))), 'unexpected EOF');
  });

  it('bounds what a small body may expand to', () => {
    const started = Date.now();
    const containers = Buffer.concat(Array.from({ length: 400_000 }, () => msg(2))); // 800 KB of empty containers
    assert.equal(check(envelope('v1', 'Pod', msg(2, containers))), 'proto: the object has more than 1000000 values');
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  });
});
