import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acceptedPatchContentTypes,
  PATCH_CONTENT_TYPES,
  patchTypeOf,
  requirePatchType,
  strategicMergePatchAllowed,
  unsupportedPatchTypeError,
} from '../../../../src/api/patch';
import { statusOf } from './helpers';

const BUILTIN = {};
const CUSTOM = { crd: 'foos.example.com' };

describe('patch Content-Type', () => {
  const table: [string | undefined, string | undefined][] = [
    ['application/json-patch+json', 'application/json-patch+json'],
    ['application/merge-patch+json', 'application/merge-patch+json'],
    ['application/strategic-merge-patch+json', 'application/strategic-merge-patch+json'],
    ['application/apply-patch+yaml', 'application/apply-patch+yaml'],
    ['application/merge-patch+json; charset=utf-8', 'application/merge-patch+json'],
    ['application/json-patch+json;charset=UTF-8', 'application/json-patch+json'],
    // upstream cuts at ";" and compares the rest byte for byte
    ['application/merge-patch+json ; charset=utf-8', undefined],
    ['Application/Merge-Patch+JSON', undefined],
    [';application/merge-patch+json', undefined],
    ['application/json', undefined],
    ['application/apply-patch+cbor', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [ct, want] of table) {
    it(`${JSON.stringify(ct)} → ${want ?? 'none'}`, () => assert.equal(patchTypeOf(ct), want));
  }

  it('built-in resources accept the four types in upstream order; custom resources no strategic merge patch', () => {
    assert.deepEqual(PATCH_CONTENT_TYPES, [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    assert.deepEqual(acceptedPatchContentTypes(CUSTOM), ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
    assert.equal(strategicMergePatchAllowed(BUILTIN), true);
    assert.equal(strategicMergePatchAllowed(CUSTOM), false);
  });

  it('strategic merge patch on a custom resource is the 415 kubectl prints', () => {
    assert.deepEqual(
      statusOf(() => requirePatchType('application/strategic-merge-patch+json', CUSTOM)),
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        reason: 'UnsupportedMediaType',
        code: 415,
      },
    );
  });

  it('an unknown type on a built-in resource lists all four', () => {
    const s = statusOf(() => requirePatchType('application/json', BUILTIN));
    assert.equal(s.code, 415);
    assert.equal(
      s.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
    assert.equal(requirePatchType('application/strategic-merge-patch+json; charset=utf-8', BUILTIN), 'application/strategic-merge-patch+json');
    assert.equal(unsupportedPatchTypeError(['a', 'b']).status.details, undefined);
  });
});
