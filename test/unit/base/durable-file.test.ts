/** writeFileDurable: the whole new content under the final name with the asked mode, no temporary file left. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { writeFileDurable } from '../../../src/base/durable-file';

describe('writeFileDurable', () => {
  it('writes, replaces, sets the mode and leaves no .tmp behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-durable-'));
    try {
      const f = path.join(dir, 'ca.key');
      writeFileDurable(f, 'one', 0o600);
      assert.equal(fs.readFileSync(f, 'utf8'), 'one');
      assert.equal(fs.statSync(f).mode & 0o777, 0o600);
      fs.chmodSync(f, 0o666);
      writeFileDurable(f, 'two', 0o644);
      assert.equal(fs.readFileSync(f, 'utf8'), 'two');
      assert.equal(fs.statSync(f).mode & 0o777, 0o644);
      assert.deepEqual(fs.readdirSync(dir), ['ca.key']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
