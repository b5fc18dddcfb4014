/** The simulated container file system: path resolution, files, directories, removal, the size cap. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { MAX_BYTES, resolvePath, SimFs } from '../../../../../src/kubelet/runtime/sim/sim-fs';

describe('sim fs: paths', () => {
  const cases: [path: string, cwd: string, abs: string][] = [
    ['/tmp/x', '/', '/tmp/x'],
    ['x', '/app', '/app/x'],
    ['./a/../b', '/app', '/app/b'],
    ['../../..', '/a/b', '/'],
    ['//tmp///x/', '/', '/tmp/x'],
    ['.', '/', '/'],
  ];
  for (const [path, cwd, abs] of cases) it(`${path} in ${cwd} → ${abs}`, () => assert.equal(resolvePath(path, cwd), abs));

  it('property: resolved paths are absolute, normalized and stable', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '.', '..', ''), { maxLength: 8 }), (segs) => {
        const abs = resolvePath(segs.join('/'), '/w');
        assert.match(abs, /^\/(?:[ab]|w)?(?:\/(?:[ab]|w))*$/);
        assert.equal(resolvePath(abs), abs);
      }),
    );
  });
});

describe('sim fs: tree', () => {
  it('starts with the usual directories and /etc/hostname', () => {
    const fs = new SimFs('pod-1');
    for (const d of ['/', '/tmp', '/etc', '/var/log', '/root']) assert.equal(fs.kind(d), 'dir', d);
    assert.equal(fs.read('/etc/hostname'), 'pod-1\n');
    assert.equal(fs.kind('/data'), undefined);
  });

  it('write replaces or appends; writing under missing directories creates them (mount points it cannot see)', () => {
    const fs = new SimFs();
    assert.equal(fs.write('/tmp/a', 'x\n', false), 'ok');
    assert.equal(fs.write('/tmp/a', 'y\n', true), 'ok');
    assert.equal(fs.read('/tmp/a'), 'x\ny\n');
    assert.equal(fs.write('/tmp/a', 'z', false), 'ok');
    assert.equal(fs.read('/tmp/a'), 'z');
    assert.equal(fs.write('/cache/deep/out.txt', 'hi', false), 'ok');
    assert.deepEqual([fs.kind('/cache'), fs.kind('/cache/deep')], ['dir', 'dir']);
    assert.equal(fs.write('/tmp', 'no', false), 'isdir');
    assert.equal(fs.write('/dev/null', 'gone', true), 'ok');
    assert.equal(fs.read('/dev/null'), '');
  });

  it('touch creates an empty file and leaves existing ones alone', () => {
    const fs = new SimFs();
    fs.touch('/tmp/healthy');
    assert.equal(fs.read('/tmp/healthy'), '');
    fs.write('/tmp/healthy', 'keep', false);
    fs.touch('/tmp/healthy');
    assert.equal(fs.read('/tmp/healthy'), 'keep');
    assert.equal(fs.touch('/tmp'), 'ok');
    assert.equal(fs.kind('/tmp'), 'dir');
  });

  it('mkdir: strict without -p, recursive with it', () => {
    const fs = new SimFs();
    assert.equal(fs.mkdir('/tmp', false), 'exists');
    assert.equal(fs.mkdir('/tmp', true), 'ok');
    assert.equal(fs.mkdir('/a/b', false), 'noparent');
    assert.equal(fs.mkdir('/a/b/c', true), 'ok');
    assert.deepEqual(['/a', '/a/b', '/a/b/c'].map((d) => fs.kind(d)), ['dir', 'dir', 'dir']);
    fs.write('/f', '', false);
    assert.equal(fs.mkdir('/f', true), 'exists');
    assert.equal(fs.mkdir('/f/x', false), 'notdir');
  });

  it('remove: files; directories only recursively, with everything under them', () => {
    const fs = new SimFs();
    fs.write('/data/a/1', 'one', false);
    fs.write('/data/b', 'two', false);
    assert.equal(fs.remove('/nope', false), 'missing');
    assert.equal(fs.remove('/data', false), 'isdir');
    assert.equal(fs.remove('/data/b', false), 'ok');
    assert.equal(fs.kind('/data/b'), undefined);
    assert.deepEqual(fs.list('/data'), ['a']);
    assert.equal(fs.remove('/data', true), 'ok');
    assert.deepEqual([fs.kind('/data'), fs.kind('/data/a'), fs.kind('/data/a/1')], [undefined, undefined, undefined]);
    assert.equal(fs.kind('/tmp'), 'dir');
  });

  it(`holds at most ${MAX_BYTES} bytes; freed space can be used again`, () => {
    const fs = new SimFs();
    const chunk = 'x'.repeat(MAX_BYTES / 4);
    for (let i = 0; i < 4; i++) assert.equal(fs.write('/tmp/big', chunk, true), 'ok');
    assert.equal(fs.write('/tmp/more', 'y', false), 'nospace');
    assert.equal(fs.write('/tmp/big', 'small', false), 'ok', 'replacing frees the old content');
    assert.equal(fs.write('/tmp/more', chunk, false), 'ok');
    fs.remove('/tmp', true);
    assert.equal(fs.write('/tmp/again', chunk + chunk + chunk, false), 'ok');
  });
});
