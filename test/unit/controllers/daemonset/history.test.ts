import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesRevision, revisionDataOf } from '../../../../src/controllers/daemonset/history';
import { ds } from './fixtures';

describe('DaemonSet revision data (getPatch / Match)', () => {
  it('is the template with $patch replace, and matches only the same template', () => {
    const set = ds();
    const data = revisionDataOf(set);
    assert.deepEqual(data, { spec: { template: { ...set.spec!.template, $patch: 'replace' } } });
    const rev = { metadata: { name: 'ds-x' }, data, revision: 1 };
    assert.equal(matchesRevision(set, rev), true);
    assert.equal(matchesRevision(ds({ hostNetwork: true }), rev), false);
    assert.equal(matchesRevision(set, { ...rev, data: { spec: { template: set.spec!.template } } }), false);
  });
});
