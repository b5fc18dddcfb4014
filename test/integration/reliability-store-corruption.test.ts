/**
 * Issue 11, Bad input — the store's files: a few hundred random corruptions of the snapshot and WAL of a store with
 * a known history (test/helpers/reliability/store-corruption.ts). Every open either fails with a StoreError naming
 * the file and offset and changes no file, or returns exactly the state of some point of the history (and carries
 * on writing); never wrong data. A negative control plants a well-formed record that was never written and checks
 * the checker reports it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { encodeRecord, logEnd, scanRecords } from '../../src/storage/sqljs/record';
import { runStoreCorruption } from '../helpers/reliability/store-corruption';
import { dataFiles } from '../helpers/reliability/store-damage';

describe('reliability: store file corruption', () => {
  it('200 random corruptions of snapshot and WAL: clean failure or a true point of the history, never wrong data', { timeout: 240_000 }, async () => {
    const r = await runStoreCorruption({ corruptions: 200, seed: 1101 });
    assert.deepEqual(r.violations, []);
    assert.equal(r.corruptions, 200);
    assert.equal(r.wrongDataOpens, 0);
    assert.equal(r.unclearFailures, 0);
    assert.equal(r.filesChangedOnFailure, 0);
    assert.equal(r.cleanFailures + r.recoveries, r.corruptions);
    // both outcomes happen, and every kind of damage was tried
    assert.ok(r.cleanFailures > 50 && r.recoveries > 20, JSON.stringify(r.byKind));
    assert.deepEqual(Object.keys(r.byKind).sort(), ['copy-file', 'drop-record', 'duplicate-record', 'flip', 'garbage-file', 'insert', 'remove-file', 'swap-records', 'truncate', 'zero']);
  });

  it('negative control: a well-formed record that was never written is reported as wrong data', { timeout: 60_000 }, async () => {
    const r = await runStoreCorruption({
      corruptions: 3,
      seed: 7,
      revisions: 20,
      plant: (dir) => {
        const wal = dataFiles(dir).filter((f) => f.startsWith('wal-')).pop()!;
        const file = path.join(dir, wal);
        const last = 20; // the history ends at revision `revisions`
        // the next revision, with a checksum that holds, where the log ends (before the WAL's zero-filled room): only
        // the checker can tell it was never acknowledged
        const at = logEnd(scanRecords(fs.readFileSync(file)));
        const fd = fs.openSync(file, 'r+');
        fs.writeSync(fd, encodeRecord({ r: last + 1, o: [['p', '/registry/k/0', 'never written', '0']] }), 0, undefined, at);
        fs.closeSync(fd);
        return `forged revision ${last + 1} in ${wal}`;
      },
    });
    assert.equal(r.wrongDataOpens, 3, r.violations.join('\n'));
    assert.ok(r.violations.every((v) => v.includes('WRONG DATA')), r.violations.join('\n'));
  });
});
