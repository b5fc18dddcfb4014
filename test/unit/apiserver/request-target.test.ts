/**
 * Request targets and query numbers the HTTP fuzzer broke (issue 11): targets node parses as URLs with a host
 * ("//x") or cannot parse at all, and resourceVersion / integer parameters beyond Go's uint64 / int64.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../../src/api/status';
import { parseRequestTarget } from '../../../src/apiserver/request-target';
import { intParam } from '../../../src/apiserver/handlers/params';
import { parseResourceVersion } from '../../../src/apiserver/registry/list';

describe('parseRequestTarget', () => {
  const cases: [string, string | undefined, string][] = [
    ['/api/v1/pods?limit=1', '/api/v1/pods', 'limit=1'],
    // A leading "//" is a path, not a host (Go's origin-form); new URL(target, base) read "apis" as the host.
    ['//apis/apps/v1/deployments', '//apis/apps/v1/deployments', ''],
    ['//v1%2Fconfigmaps?dryRun=x', '//v1%2Fconfigmaps', 'dryRun=x'],
    ['/%zz/%C3%28', '/%zz/%C3%28', ''],
    ['https://example.com/api/v1?watch=1', '/api/v1', 'watch=1'],
    ['*', undefined, ''],
    ['mailto:x@y', undefined, ''],
    ['http://[', undefined, ''],
  ];
  for (const [target, path, query] of cases) {
    it(JSON.stringify(target), () => {
      const r = parseRequestTarget(target);
      assert.equal(r?.path, path);
      if (r) assert.equal(r.query.toString(), query);
    });
  }
});

function badRequest(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 400);
    return e.status.message ?? '';
  }
  assert.fail('expected 400');
}

describe('numbers beyond Go integer ranges', () => {
  it('resourceVersion above 2^64-1 is refused as ParseUint does, not rounded', () => {
    assert.equal(parseResourceVersion('18446744073709551615'), 18446744073709551615);
    assert.equal(badRequest(() => parseResourceVersion('18446744073709551616')), 'resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range');
  });

  it('integer parameters beyond int64 are refused (timeoutSeconds=1e20 would fire a watch timer at once)', () => {
    assert.equal(intParam(new URLSearchParams('timeoutSeconds=9223372036854775807'), 'timeoutSeconds'), 9223372036854775807);
    assert.equal(intParam(new URLSearchParams('limit=-9223372036854775808'), 'limit'), -9223372036854775808);
    assert.match(badRequest(() => intParam(new URLSearchParams('timeoutSeconds=99999999999999999999'), 'timeoutSeconds')), /value out of range$/);
    assert.match(badRequest(() => intParam(new URLSearchParams('limit=-9223372036854775809'), 'limit')), /value out of range$/);
  });
});
