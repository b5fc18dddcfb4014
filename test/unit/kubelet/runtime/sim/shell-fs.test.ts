/**
 * The simulated shell with files: touch, rm, mkdir, cat, ls, test -f/-e/-d, redirections (> >> < 2> 2>&1 >&2) and
 * pipes, against the container file system. Expected output and status are busybox sh's for the same scripts;
 * `out` is what reaches the container log (stdout and stderr together).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScript } from '../../../../../src/kubelet/runtime/sim/shell-run';
import { SimFs } from '../../../../../src/kubelet/runtime/sim/sim-fs';
import type { ShellIO } from '../../../../../src/kubelet/runtime/sim/shell-utils';

/** Run a script to its end without a clock; stdout and stderr captured together and apart. */
function sh(script: string, fs = new SimFs('pod-1'), env: Record<string, string> = { NAME: 'kube' }) {
  let out = '';
  let stdout = '';
  let stderr = '';
  const io: ShellIO = {
    write: (t) => ((out += t), (stdout += t)),
    writeErr: (t) => ((out += t), (stderr += t)),
    now: () => 0,
    env: new Map(Object.entries(env)),
    hostname: 'pod-1',
    lastStatus: 0,
    fs,
  };
  const g = runScript(script, io);
  for (;;) {
    const r = g.next();
    if (r.done) return { code: r.value, out, stdout, stderr, fs };
  }
}

describe('sim shell: files', () => {
  const cases: [script: string, out: string, code: number][] = [
    ['touch /tmp/healthy; cat /tmp/healthy; echo $?', '0\n', 0],
    ['cat /tmp/healthy', "cat: can't open '/tmp/healthy': No such file or directory\n", 1],
    ['touch /tmp/healthy; rm -f /tmp/healthy; cat /tmp/healthy', "cat: can't open '/tmp/healthy': No such file or directory\n", 1],
    ['echo hi > /tmp/x; cat /tmp/x', 'hi\n', 0],
    ['echo a > /tmp/x; echo b >> /tmp/x; cat /tmp/x', 'a\nb\n', 0],
    ['echo a > /tmp/x; echo c > /tmp/x; cat /tmp/x', 'c\n', 0],
    ['echo a>/tmp/b; cat /tmp/b', 'a\n', 0],
    ['printf "%s=%s\\n" k v >f; cat /f', 'k=v\n', 0],
    ['echo "$NAME" > "/tmp/with space"; cat "/tmp/with space"', 'kube\n', 0],
    ['F=/tmp/v; echo $NAME > $F; cat $F', 'kube\n', 0],
    ['rm /tmp/none', "rm: can't remove '/tmp/none': No such file or directory\n", 1],
    ['rm -f /tmp/none; echo $?', '0\n', 0],
    ['rm /tmp', "rm: can't remove '/tmp': Is a directory\n", 1],
    ['touch /tmp/a /tmp/b; rm -rf /tmp; ls /tmp', 'ls: /tmp: No such file or directory\n', 1],
    ['mkdir /tmp', "mkdir: can't create directory '/tmp': File exists\n", 1],
    ['mkdir /x/y', "mkdir: can't create directory '/x/y': No such file or directory\n", 1],
    ['mkdir -p /a/b/c && test -d /a/b && echo ok', 'ok\n', 0],
    ['[ -f /tmp/x ] || echo missing; touch /tmp/x; [ -f /tmp/x ] && echo there', 'missing\nthere\n', 0],
    ['test -e /etc/hostname && cat /etc/hostname', 'pod-1\n', 0],
    ['[ -s /tmp/e ]; echo $?; touch /tmp/e; [ -s /tmp/e ]; echo $?; echo x > /tmp/e; [ -s /tmp/e ]; echo $?', '1\n1\n0\n', 0],
    ['[ ! -d /tmp/f ] && echo notdir', 'notdir\n', 0],
    ['touch /tmp/b /tmp/a; mkdir /tmp/c; ls /tmp', 'a\nb\nc\n', 0],
    ['cat /tmp', 'cat: read error: Is a directory\n', 1],
    ['echo hi > /tmp; echo $?', "sh: can't create /tmp: Is a directory\n1\n", 0],
    ['cat < /tmp/none', "sh: can't open /tmp/none: No such file or directory\n", 1],
    ['echo x > /tmp/f; cat < /tmp/f', 'x\n', 0],
    ['echo piped | cat', 'piped\n', 0],
    ['echo one | cat - /etc/hostname', 'one\npod-1\n', 0],
    ['{ echo a; echo b; } > /tmp/g; cat /tmp/g', 'a\nb\n', 0],
    ['for i in 1 2; do echo $i; done > /tmp/h; cat /tmp/h', '1\n2\n', 0],
    ['cat /nope 2>/dev/null; echo $?', '1\n', 0],
    ['cat /nope >/dev/null 2>&1; echo $?', '1\n', 0],
    ['cat /nope 2>&1 >/dev/null', "cat: can't open '/nope': No such file or directory\n", 1],
    ['cat /nope 2>/tmp/err; cat /tmp/err', "cat: can't open '/nope': No such file or directory\n", 0],
    ['echo to-stderr >&2 2>/dev/null', 'to-stderr\n', 0],
    ['echo gone 1>&-; echo kept', 'kept\n', 0],
    ['echo >', 'sh: syntax error: unexpected end of file\n', 2],
  ];
  for (const [script, out, code] of cases) {
    it(JSON.stringify(script), () => {
      const r = sh(script);
      assert.deepEqual({ out: r.out, code: r.code }, { out, code });
    });
  }

  it('error messages go to stderr, not into a file stdout is redirected to', () => {
    const r = sh('cat /tmp/none > /tmp/out; echo listed >&2');
    assert.deepEqual([r.stdout, r.stderr], ['', "cat: can't open '/tmp/none': No such file or directory\nlisted\n"]);
    assert.equal(r.fs.read('/tmp/out'), '');
  });

  it('relative paths follow $PWD', () => {
    const r = sh('PWD=/srv; mkdir www; echo hi > www/index.html; cat /srv/www/index.html; ls');
    assert.equal(r.out, 'hi\nwww\n');
  });

  it('the file system outlives one script: two scripts on one fs see each other\'s files', () => {
    const fs = new SimFs('pod-1');
    sh('echo shared > /tmp/s', fs);
    assert.equal(sh('cat /tmp/s', fs).out, 'shared\n');
  });

  it('a pipe hands over at most 64 KiB', () => {
    const r = sh('i=0; while [ $i -lt 2000 ]; do echo 0123456789012345678901234567890123456789; i=$((i+1)); done | cat > /tmp/p');
    assert.equal(r.fs.read('/tmp/p')!.length, 64 * 1024);
  });
});
