/**
 * Malformed protobuf bodies fail as kube-apiserver fails them: 400 BadRequest, the protobuf serializer's and gogo's
 * own words, wrapped by the create handler's transformDecodeError when the endpoint's kind is known.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtobufBody, isProtobufContentType } from '../../../../src/api/protobuf';
import { StatusError } from '../../../../src/api/status';
import { MAGIC, bytes, double, entry, envelope, int, key, meta, msg, str, varint } from './encoder';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

function failure(body: Buffer, expected?: typeof POD): string {
  try {
    decodeProtobufBody(body, expected);
  } catch (e) {
    assert.ok(e instanceof StatusError, `not a StatusError: ${String(e)}`);
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    return e.message;
  }
  assert.fail('decoded without error');
}

const PREFIX = 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]';

describe('protobuf body errors', () => {
  const envelopeCases: [string, Buffer, string][] = [
    ['no bytes', Buffer.alloc(0), 'empty data'],
    ['JSON instead', Buffer.from('{"kind":"Pod"}'), PREFIX],
    ['only the magic', MAGIC, 'empty body'],
    ['truncated length', Buffer.concat([MAGIC, Buffer.from([0x0a])]), 'unexpected EOF'],
    ['length past the end', Buffer.concat([MAGIC, Buffer.from([0x12, 0x05, 0x01])]), 'unexpected EOF'],
    ['tag 0', Buffer.concat([MAGIC, Buffer.from([0x00])]), 'proto: Unknown: illegal tag 0 (wire type 0)'],
    ['tag 0, wire type 7', Buffer.concat([MAGIC, Buffer.from([0x07])]), 'proto: Unknown: illegal tag 0 (wire type 7)'],
    ['end group', Buffer.concat([MAGIC, Buffer.from([0x0c])]), 'proto: Unknown: wiretype end group for non-group'],
    ['varint TypeMeta', Buffer.concat([MAGIC, int(1, 1)]), 'proto: wrong wireType = 0 for field TypeMeta'],
    ['11-byte key', Buffer.concat([MAGIC, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]), 'proto: integer overflow'],
    ['11-byte length', Buffer.concat([MAGIC, Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]), 'proto: integer overflow'],
    ['10-byte key, high bits dropped', Buffer.concat([MAGIC, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e])]), 'proto: Unknown: illegal tag 0 (wire type 0)'],
    ['negative length', Buffer.concat([MAGIC, key(2, 2), varint(-1n)]), 'proto: negative length found during unmarshaling'],
    ['nested TypeMeta tag 0', Buffer.concat([MAGIC, msg(1, Buffer.from([0x00]))]), 'proto: TypeMeta: illegal tag 0 (wire type 0)'],
    ['illegal wire type in an unknown field', Buffer.concat([MAGIC, Buffer.from([0x2e])]), 'proto: illegal wireType 6'],
    ['end group after a skipped group', Buffer.concat([MAGIC, Buffer.from([0x2b, 0x2c, 0x2c])]), 'proto: Unknown: wiretype end group for non-group'],
    ['an unclosed group', Buffer.concat([MAGIC, Buffer.from([0x2b])]), 'unexpected EOF'],
  ];
  for (const [name, body, message] of envelopeCases) {
    it(`${name}: ${message}`, () => assert.equal(failure(body), message));
  }

  it('before the kind is known, wraps like transformDecodeError with a summary of the body', () => {
    assert.equal(failure(Buffer.alloc(0), DEPLOYMENT), 'the object provided is unrecognized (must be of type Deployment): empty data (<empty>)');
    assert.equal(failure(Buffer.from('{"kind":"Pod"}'), POD), `the object provided is unrecognized (must be of type Pod): ${PREFIX} ({"kind":"Pod"})`);
    assert.equal(failure(Buffer.from([1, 2, 0xfe]), POD), `the object provided is unrecognized (must be of type Pod): ${PREFIX} (0102fe)`);
    const long = Buffer.alloc(40, 0xab);
    assert.equal(failure(long, POD), `the object provided is unrecognized (must be of type Pod): ${PREFIX} (${'ab'.repeat(30)} ...)`);
    assert.equal(failure(Buffer.concat([MAGIC, Buffer.from([0x00])]), POD), 'the object provided is unrecognized (must be of type Pod): proto: Unknown: illegal tag 0 (wire type 0) (6b38730000)');
  });

  it('once the kind is known, says which kind could not be handled', () => {
    const body = envelope('apps/v1', 'Deployment', int(1, 5));
    assert.equal(failure(body), 'proto: wrong wireType = 0 for field ObjectMeta');
    assert.equal(failure(body, DEPLOYMENT), 'Deployment in version "v1" cannot be handled as a Deployment: proto: wrong wireType = 0 for field ObjectMeta');
    assert.equal(failure(envelope('apps/v1', 'Deployment', Buffer.from([0x12, 0x05, 0x01])), DEPLOYMENT), 'Deployment in version "v1" cannot be handled as a Deployment: unexpected EOF');
    assert.equal(failure(envelope('apps/v1', 'Deployment', msg(2, Buffer.from([0x00])))), 'proto: DeploymentSpec: illegal tag 0 (wire type 0)');
    assert.equal(failure(envelope('apps/v1', 'Deployment', msg(2, Buffer.from([0x0c])))), 'proto: DeploymentSpec: wiretype end group for non-group');
    assert.equal(failure(envelope('apps/v1', 'Deployment', msg(2, str(1, 'x')))), 'proto: wrong wireType = 2 for field Replicas');
    assert.equal(failure(envelope('v1', 'Pod', msg(2, int(2, 1)))), 'proto: wrong wireType = 0 for field Containers');
  });

  it('names unregistered kinds as the legacy scheme does', () => {
    assert.equal(failure(envelope('v1', 'Foo', meta('x'))), 'no kind "Foo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    assert.equal(failure(envelope('v1', 'pod', meta('x')), POD), 'pod in version "v1" cannot be handled as a Pod: no kind "pod" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    assert.equal(failure(envelope('apps/v1beta1', 'Deployment', meta('x')), DEPLOYMENT), 'Deployment in version "v1beta1" cannot be handled as a Deployment: no kind "Deployment" is registered for version "apps/v1beta1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
    assert.equal(failure(envelope('example.com/v1', 'DeleteOptions')), 'no kind "DeleteOptions" is registered for version "example.com/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  });

  it('defaults a missing kind / apiVersion from the endpoint (copyKindDefaults), or says it is missing', () => {
    assert.equal(failure(envelope('v1', '', meta('x'))), `Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`);
    assert.equal(failure(envelope('', 'Pod', meta('x'))), `Object 'apiVersion' is missing in 'runtime.TypeMeta{APIVersion:"", Kind:"Pod"}'`);
    assert.equal(decodeProtobufBody(envelope('', '', meta('x')), POD).object.kind, 'Pod');
    assert.equal(decodeProtobufBody(envelope('', 'Deployment', meta('x')), DEPLOYMENT).apiVersion, 'apps/v1');
    // An apiVersion that does not parse empties the whole GVK, so the endpoint's wins.
    assert.equal(decodeProtobufBody(envelope('a/b/c', 'Secret', meta('x')), POD).kind, 'Pod');
  });

  it('reports bad quantities and values Go cannot marshal', () => {
    const quota = envelope('v1', 'ResourceQuota', meta('q'), msg(2, entry(1, 'cpu', msg(2, str(1, 'abc')))));
    assert.equal(failure(quota), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    const crd = (schema: Buffer) =>
      envelope('apiextensions.k8s.io/v1', 'CustomResourceDefinition', meta('x'), msg(2, msg(7, str(1, 'v1'), msg(4, msg(1, schema)))));
    assert.equal(failure(crd(double(9, NaN))), 'json: unsupported value: NaN');
    assert.match(failure(crd(msg(8, bytes(1, '{oops')))), /^json: error calling MarshalJSON for type v1\.JSON: /);
    assert.equal(failure(envelope('apps/v1', 'ControllerRevision', meta('r'), msg(2, bytes(1, Buffer.alloc(0))))), 'json: error calling MarshalJSON for type runtime.RawExtension: unexpected end of JSON input');
    // gogo's skipGenerated: an end-group key inside a map entry, with no group open.
    assert.equal(failure(envelope('v1', 'ConfigMap', meta('c'), msg(2, Buffer.from([0x1c])))), 'proto: unexpected end of group');
  });
});

describe('isProtobufContentType', () => {
  const cases: [string | undefined, boolean][] = [
    ['application/vnd.kubernetes.protobuf', true],
    ['Application/VND.Kubernetes.Protobuf; charset=binary', true],
    [' application/vnd.kubernetes.protobuf ;stream=watch', true],
    ['application/json', false],
    ['application/vnd.kubernetes.protobuf+json', false],
    ['', false],
    [undefined, false],
  ];
  for (const [ct, want] of cases) it(String(ct), () => assert.equal(isProtobufContentType(ct), want));
});
