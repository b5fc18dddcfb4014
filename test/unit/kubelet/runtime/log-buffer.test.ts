/** The sim container log: lines, partial lines, tail, timestamps, the cap, and follow. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogBuffer, rfc3339Nano } from '../../../../src/kubelet/runtime/log-buffer';

describe('LogBuffer', () => {
  it('splits writes into lines stamped at their first byte; a partial line reads as is', () => {
    let now = Date.UTC(2026, 0, 1);
    const log = new LogBuffer(() => now);
    log.write('a\nb');
    now += 1500;
    log.write('c\nd\n');
    assert.equal(log.read(), 'a\nbc\nd\n');
    log.write('e');
    assert.equal(log.read(), 'a\nbc\nd\ne');
    assert.equal(log.read({ tail: 2 }), 'd\ne');
    assert.equal(
      log.read({ timestamps: true, tail: 3 }),
      '2026-01-01T00:00:00.000000000Z bc\n2026-01-01T00:00:01.500000000Z d\n2026-01-01T00:00:01.500000000Z e',
    );
    log.close();
    assert.equal(log.read({ tail: 1 }), 'e\n', 'close completes the partial line');
    log.write('late\n');
    assert.equal(log.read({ tail: 1 }), 'e\n', 'nothing is written after close');
  });

  it('rfc3339Nano has nine fraction digits', () => {
    assert.equal(rfc3339Nano(Date.UTC(2026, 10, 26, 3, 4, 5, 67)), '2026-11-26T03:04:05.067000000Z');
  });

  it('keeps at most maxLines, dropping the oldest', () => {
    const log = new LogBuffer(() => 0, 3);
    for (let i = 0; i < 10; i++) log.write(`${i}\n`);
    assert.equal(log.read(), '7\n8\n9\n');
  });

  it('follow yields the tail, then each new line, and ends on close', async () => {
    const log = new LogBuffer(() => 0);
    log.write('1\n2\n3\n');
    const got: string[] = [];
    const reading = (async () => {
      for await (const l of log.follow({ tail: 1 })) got.push(l);
    })();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, ['3\n']);
    log.write('4\n5');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(got, ['3\n', '4\n']);
    log.close();
    await reading;
    assert.deepEqual(got, ['3\n', '4\n', '5\n']);
  });
});

describe('LogBuffer.appendLine and the character cap', () => {
  it('appendLine adds whole lines with their own time; followers see them', async () => {
    const log = new LogBuffer(() => 999);
    const got: string[] = [];
    const reading = (async () => {
      for await (const l of log.follow({ timestamps: true })) got.push(l);
    })();
    log.appendLine('out', Date.UTC(2026, 0, 1));
    log.appendLine('', Date.UTC(2026, 0, 1, 0, 0, 2));
    log.close();
    log.appendLine('late', 0);
    await reading;
    assert.deepEqual(got, ['2026-01-01T00:00:00.000000000Z out\n', '2026-01-01T00:00:02.000000000Z \n']);
    assert.equal(log.read(), 'out\n\n');
  });

  it('maxChars drops the oldest lines but always keeps the newest', () => {
    const log = new LogBuffer(() => 0, 100, 10);
    for (const t of ['aaaa', 'bbbb', 'cccc']) log.appendLine(t, 0);
    assert.equal(log.read(), 'bbbb\ncccc\n');
    log.appendLine('x'.repeat(25), 0);
    assert.equal(log.read(), `${'x'.repeat(25)}\n`);
    log.write('dd\nee\n');
    assert.equal(log.read(), 'dd\nee\n');
  });
});
