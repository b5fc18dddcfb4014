import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClusterConfig } from '../../../../src/cluster/config';
import { CONFIG_HEAD as HEAD, configErrors as errorsOf } from '../../../helpers/cluster-config';

describe('ClusterConfig apiServer.watchCacheSize', () => {
  it('is a whole number of events, left out when not given', () => {
    assert.equal(parseClusterConfig(`${HEAD}apiServer: { watchCacheSize: 500 }\n`, 'test.yaml').config.watchCacheSize, 500);
    assert.equal(parseClusterConfig(`${HEAD}apiServer: {}\n`, 'test.yaml').config.watchCacheSize, undefined);
    assert.equal('watchCacheSize' in parseClusterConfig(HEAD, 'test.yaml').config, false);
  });

  for (const [what, yaml, want] of [
    ['too small', 'apiServer: { watchCacheSize: 99 }', 'apiServer.watchCacheSize: must be from 100 to 1000000, not 99'],
    ['too large', 'apiServer: { watchCacheSize: 1000001 }', 'apiServer.watchCacheSize: must be from 100 to 1000000, not 1000001'],
    ['a fraction', 'apiServer: { watchCacheSize: 150.5 }', 'apiServer.watchCacheSize: expected a whole number, got 150.5'],
    ['a string', 'apiServer: { watchCacheSize: "many" }', 'apiServer.watchCacheSize: expected a whole number, got "many"'],
  ] as const) {
    it(`refuses ${what}`, () => assert.deepEqual(errorsOf(yaml), [want]));
  }

  it('refuses unknown apiServer fields', () => {
    const errs = errorsOf('apiServer: { watchCacheSizes: 100 }');
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^apiServer\.watchCacheSizes: /);
  });
});

describe('ClusterConfig apiServer.eventTTL', () => {
  it('is a Go duration in ms, left out when not given (1 h)', () => {
    assert.equal(parseClusterConfig(`${HEAD}apiServer: { eventTTL: 90m }\n`, 'test.yaml').config.eventTtlMs, 5_400_000);
    assert.equal(parseClusterConfig(`${HEAD}apiServer: { eventTTL: 30s }\n`, 'test.yaml').config.eventTtlMs, 30_000);
    assert.equal('eventTtlMs' in parseClusterConfig(HEAD, 'test.yaml').config, false);
  });

  for (const [what, yaml, want] of [
    ['under a second', 'apiServer: { eventTTL: 500ms }', 'apiServer.eventTTL: must be at least 1000ms, not "500ms"'],
    ['not a duration', 'apiServer: { eventTTL: 1 }', 'apiServer.eventTTL: expected a duration such as "1s" or "500ms", got 1'],
  ] as const) {
    it(`refuses ${what}`, () => assert.deepEqual(errorsOf(yaml), [want]));
  }
});
