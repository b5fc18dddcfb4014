import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { drainedOrClosed } from '../../../src/apiserver/https';

describe('drainedOrClosed (streamed lists waiting on backpressure)', () => {
  it('resolves on drain and leaves no listener behind, however many times it waits', async () => {
    const res = new EventEmitter();
    for (let i = 0; i < 50; i++) {
      const waited = drainedOrClosed(res as unknown as ServerResponse);
      assert.equal(res.listenerCount('close'), 1);
      res.emit('drain');
      await waited;
    }
    assert.equal(res.listenerCount('drain'), 0);
    assert.equal(res.listenerCount('close'), 0, 'a close listener per wait would pile up (MaxListenersExceededWarning after 10)');
  });

  it('resolves when the response closes before draining', async () => {
    const res = new EventEmitter();
    const waited = drainedOrClosed(res as unknown as ServerResponse);
    res.emit('close');
    await waited;
    assert.equal(res.listenerCount('drain') + res.listenerCount('close'), 0);
  });
});
