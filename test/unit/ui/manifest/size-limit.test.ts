/** sizeRefusal: files up to MAX_MANIFEST_BYTES pass; larger ones are refused naming the file, its size and the limit. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_MANIFEST_BYTES, sizeRefusal } from '../../../../src/ui/manifest';

describe('sizeRefusal', () => {
  it('passes files up to the limit and refuses larger ones with the file, its size and the limit', () => {
    assert.equal(sizeRefusal('/w/app.yaml', 0), undefined);
    assert.equal(sizeRefusal('/w/app.yaml', MAX_MANIFEST_BYTES), undefined);
    assert.equal(sizeRefusal('/w/app.yaml', MAX_MANIFEST_BYTES + 1), 'app.yaml is 8.0 MB; KubeLab applies manifests up to 8 MB');
    assert.equal(sizeRefusal('C:\\w\\big.json', 50 * 1048576), 'big.json is 50.0 MB; KubeLab applies manifests up to 8 MB');
  });
});
