/**
 * Real kubectl 1.32 protobuf bodies (captured by capture.ts) decode to exactly the JSON kubectl prints for the same
 * command with --dry-run=client -o json (status: {}, creationTimestamp: null and all).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { decodeProtobufBody } from '../../../../src/api/protobuf';
import type { Fixture } from './capture';

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures.json'), 'utf8')) as Fixture[];

describe('kubectl protobuf bodies decode to the JSON kubectl would send', () => {
  it('has the captured commands', () => {
    assert.ok(fixtures.length >= 20);
    for (const name of ['deployment', 'secret', 'service', 'ingress', 'poddisruptionbudget', 'quota', 'autoscale', 'token']) {
      assert.ok(fixtures.some((f) => f.name === name), name);
    }
  });

  for (const f of fixtures) {
    it(`kubectl ${f.args.join(' ')}`, () => {
      const d = decodeProtobufBody(Buffer.from(f.protobuf, 'base64'));
      assert.deepStrictEqual(d.object, f.dryRun);
      // Even the key order is Go's: the text is byte-identical to kubectl's own JSON.
      assert.equal(JSON.stringify(d.object), JSON.stringify(f.dryRun));
      assert.equal(d.kind, f.dryRun.kind);
      assert.equal(d.apiVersion, f.dryRun.apiVersion);
    });
  }

  it('keeps pointer zeros and drops omitempty zeros the way kubectl JSON does', () => {
    const dep = fixtures.find((f) => f.name === 'deployment')!;
    const o = decodeProtobufBody(Buffer.from(dep.protobuf, 'base64')).object as { spec: Record<string, unknown> };
    assert.equal(o.spec.replicas, 0); // *int32 set to 0
    assert.equal('minReadySeconds' in o.spec, false); // int32 omitempty, sent as 0 on the wire
    assert.equal('paused' in o.spec, false);
  });
});
