/** How a spec becomes a process, as pure functions: argv, the environment, and directories confined to rootDir. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RuntimeError } from '../../../../../src/kubelet/runtime/errors';
import {
  CONTAINER_DEFAULT_PATH,
  confinedWorkingDir,
  containerDir,
  processEnv,
  spawnPlan,
} from '../../../../../src/kubelet/runtime/process/spawn-plan';

const DIR = path.resolve('/var/lib/kubelab/process/sb/ct');

describe('spawn plan', () => {
  it('argv is command then args; the file is the first word', () => {
    const plan = spawnPlan({ name: 'c', image: 'i', command: ['sh', '-c'], args: ['echo $X', 'y'] }, DIR, '/bin');
    assert.deepEqual([plan.file, plan.args, plan.dir, plan.cwd], ['sh', ['-c', 'echo $X', 'y'], DIR, DIR]);
  });

  it('no command: FailedPrecondition, with or without args', () => {
    for (const spec of [{ name: 'c', image: 'nginx' }, { name: 'c', image: 'nginx', command: [] }, { name: 'c', image: 'nginx', args: ['x'] }]) {
      assert.throws(() => spawnPlan(spec, DIR), (e: unknown) => e instanceof RuntimeError && e.reason === 'FailedPrecondition' && /has no command/.test(e.message));
    }
  });

  it('env: the spec\'s (last wins), PATH from the host (or the container default), HOME = the directory', () => {
    const table: [{ name: string; value: string }[], string, Record<string, string>][] = [
      [[], '/usr/bin:/bin', { PATH: '/usr/bin:/bin', HOME: DIR }],
      [[], '', { PATH: CONTAINER_DEFAULT_PATH, HOME: DIR }],
      [[{ name: 'X', value: '1' }, { name: 'X', value: '2' }], '/h', { X: '2', PATH: '/h', HOME: DIR }],
      [[{ name: 'PATH', value: '' }, { name: 'HOME', value: '/root' }], '/h', { PATH: '', HOME: '/root' }],
    ];
    for (const [env, hostPath, want] of table) assert.deepEqual(processEnv({ name: 'c', image: 'i', env }, DIR, hostPath), want);
    assert.equal(processEnv({ name: 'c', image: 'i' }, DIR).PATH, process.env.PATH || CONTAINER_DEFAULT_PATH, 'the host PATH by default');
  });

  it('workingDir resolves inside the directory (table)', () => {
    const table: [string | undefined, string][] = [
      [undefined, DIR],
      ['', DIR],
      ['/', DIR],
      ['/app', path.join(DIR, 'app')],
      ['app/x/', path.join(DIR, 'app', 'x')],
      ['/a/./b/../c', path.join(DIR, 'a', 'c')],
      ['../../..', DIR],
      ['/.../..x', path.join(DIR, '...', '..x')],
      ['/../../etc/passwd', path.join(DIR, 'etc', 'passwd')],
      ['\\..\\..\\win', path.join(DIR, 'win')],
    ];
    for (const [wd, want] of table) assert.equal(confinedWorkingDir(DIR, wd), want, String(wd));
  });

  it('property: no workingDir escapes the directory', () => {
    const segment = fc.oneof(fc.constantFrom('..', '.', '', '...', 'a', '~', '\\..'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.boolean(), (segments, absolute) => {
        const wd = (absolute ? '/' : '') + segments.join('/');
        const got = confinedWorkingDir(DIR, wd);
        const rel = path.relative(DIR, got);
        assert.ok(rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)), `${JSON.stringify(wd)} → ${got}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('containerDir is rootDir/<sandbox>/<container>; ids that could climb out are refused', () => {
    assert.equal(containerDir('/r', 'ab12', 'cd34'), path.join(path.resolve('/r'), 'ab12', 'cd34'));
    for (const bad of ['..', '.', 'a/b', '', 'a\\b']) assert.throws(() => containerDir('/r', bad, 'x'), /not a safe directory name/);
  });
});
