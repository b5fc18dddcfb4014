/**
 * A simulated container's file system: a tiny in-memory tree (files with text content, directories), one per
 * container instance, shared by its main program and every exec into it, gone with the container (a restarted
 * container starts from a fresh one, as a fresh writable layer does).
 *
 * Contract:
 * - Paths are resolved against a working directory ("/" by default); "." and ".." are handled; the result is
 *   absolute and normalized ("/tmp/x").
 * - The usual directories of a Linux image exist from the start (/tmp, /etc, /var, /root, …); /etc/hostname holds
 *   the hostname. /dev/null reads empty and swallows writes.
 * - Writing a file whose parent directories are missing creates them: the sim cannot see the volumes mounted into
 *   the container, so a path like /cache/out.txt under an emptyDir mount must work. `mkdir` without -p is strict.
 * - The whole tree holds at most MAX_BYTES of file content; a write past that fails with 'nospace'.
 */

export const MAX_BYTES = 4 * 1024 * 1024;

const SEED_DIRS = ['/', '/bin', '/dev', '/etc', '/home', '/lib', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/usr/sbin', '/usr/share', '/var', '/var/log', '/var/run', '/var/tmp'];

export type FsKind = 'file' | 'dir';

/** Normalize `path` against `cwd`: absolute, no "." / ".." / empty segments. */
export function resolvePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const seg of `${path.startsWith('/') ? '' : `${cwd}/`}${path}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

const parentOf = (abs: string): string => (abs === '/' ? '/' : abs.slice(0, abs.lastIndexOf('/')) || '/');

export class SimFs {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(SEED_DIRS);
  private bytes = 0;

  constructor(hostname?: string) {
    if (hostname !== undefined) this.files.set('/etc/hostname', `${hostname}\n`);
  }

  kind(abs: string): FsKind | undefined {
    if (abs === '/dev/null' || this.files.has(abs)) return 'file';
    return this.dirs.has(abs) ? 'dir' : undefined;
  }

  /** A file's content; undefined when it does not exist or is a directory. */
  read(abs: string): string | undefined {
    return abs === '/dev/null' ? '' : this.files.get(abs);
  }

  /** Write (append or replace) a file, creating missing parents. */
  write(abs: string, text: string, append: boolean): 'ok' | 'isdir' | 'nospace' {
    if (abs === '/dev/null') return 'ok';
    if (this.dirs.has(abs)) return 'isdir';
    const old = this.files.get(abs) ?? '';
    const next = append ? old + text : text;
    if (this.bytes - old.length + next.length > MAX_BYTES) return 'nospace';
    this.bytes += next.length - old.length;
    this.files.set(abs, next);
    for (let p = parentOf(abs); !this.dirs.has(p); p = parentOf(p)) this.dirs.add(p);
    return 'ok';
  }

  /** touch: create an empty file unless something exists there. */
  touch(abs: string): 'ok' | 'nospace' {
    if (this.kind(abs)) return 'ok';
    const r = this.write(abs, '', true);
    return r === 'isdir' ? 'ok' : r;
  }

  mkdir(abs: string, parents: boolean): 'ok' | 'exists' | 'noparent' | 'notdir' {
    const k = this.kind(abs);
    if (k === 'dir') return parents ? 'ok' : 'exists';
    if (k === 'file') return 'exists';
    const parent = parentOf(abs);
    const pk = this.kind(parent);
    if (pk === 'file') return 'notdir';
    if (!pk) {
      if (!parents) return 'noparent';
      const r = this.mkdir(parent, true);
      if (r !== 'ok') return r;
    }
    this.dirs.add(abs);
    return 'ok';
  }

  /** rm: a file, or with `recursive` a directory and everything under it. */
  remove(abs: string, recursive: boolean): 'ok' | 'missing' | 'isdir' {
    const k = this.kind(abs);
    if (!k) return 'missing';
    if (abs === '/dev/null') return 'ok';
    if (k === 'file') {
      this.bytes -= this.files.get(abs)!.length;
      this.files.delete(abs);
      return 'ok';
    }
    if (!recursive) return 'isdir';
    const prefix = abs === '/' ? '/' : `${abs}/`;
    for (const [f, text] of [...this.files]) {
      if (f.startsWith(prefix)) {
        this.bytes -= text.length;
        this.files.delete(f);
      }
    }
    for (const d of [...this.dirs]) if (d.startsWith(prefix) || d === abs) this.dirs.delete(d);
    this.dirs.add('/');
    return 'ok';
  }

  /** Names directly inside a directory, sorted (for ls). */
  list(abs: string): string[] {
    const prefix = abs === '/' ? '/' : `${abs}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p !== abs && p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  }
}
