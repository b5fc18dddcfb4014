/**
 * Real disk faults under a cluster's data directory, for the disk-trouble scenario (issue 11). Each kind gives a
 * fresh directory to start the cluster in, `inject()` to make the fault happen under the running process,
 * `clear()` to take it away, and `dispose()` (always call it, in finally) to unmount and remove everything.
 *
 * - full (tmpfs): the directory is a small tmpfs; inject fills it with a filler file until write(2) says ENOSPC;
 *   clear deletes the filler. The cluster must resume without a restart.
 * - full (file-size limit, the fallback when mounting is not permitted): inject lowers the process's soft
 *   RLIMIT_FSIZE (prlimit) to the size of its largest file, so its next append fails with EFBIG (Node ignores
 *   SIGXFSZ); clear lifts it again.
 * - read-only (ext4 on a loop device, errors=remount-ro): inject makes ext4 report an error
 *   (/sys/fs/ext4/<dev>/trigger_fs_error), which remounts it read-only the way a real I/O error does, under the
 *   open files too (EROFS). Linux keeps such a file system read-only until it is unmounted (`mount -o remount,ro`
 *   is refused with EBUSY while a file is open for writing, so there is no gentler way that reaches the open WAL):
 *   `restartNeeded` is true and clear() must run while the cluster is stopped: it unmounts, runs e2fsck and mounts
 *   the same image read-write again.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type DiskFaultKind = 'full' | 'read-only';

export interface DiskFault {
  kind: DiskFaultKind;
  /** How the fault is made, for the report: 'tmpfs', 'rlimit-fsize' or 'ext4-error-remount-ro'. */
  method: string;
  /** The data directory to start the cluster with. */
  dir: string;
  /** True when the fault can only be cleared with the cluster stopped. */
  restartNeeded: boolean;
  inject(pid: number): void;
  clear(pid: number): void;
  dispose(): void;
}

/** Why a fault kind cannot be made here (undefined when it can). */
export type Unavailable = { reason: string };

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

function errText(e: unknown): string {
  const err = e as { stderr?: Buffer; message?: string };
  return (err.stderr?.toString().trim() || err.message || String(e)).split('\n')[0];
}

/** Mount a tmpfs of `bytes` (and at most `inodes` files, if given) on `dir`; returns why not when not permitted. */
export function tryMountTmpfs(dir: string, bytes: number, inodes?: number): string | undefined {
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700${inodes ? `,nr_inodes=${inodes}` : ''}`, 'tmpfs', dir]);
    return undefined;
  } catch (e) {
    return `mount -t tmpfs is not permitted here (${errText(e)})`;
  }
}

export function umount(dir: string): void {
  for (let i = 0; i < 20; i++) {
    try {
      run('umount', [dir]);
      return;
    } catch {
      execFileSync('sleep', ['0.1']);
    }
  }
  run('umount', ['-l', dir]);
}

/** Fill the file system holding `file` until ENOSPC (1 MiB steps, then smaller ones: no page left). */
export function fill(file: string): void {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    for (const size of [1 << 20, 4096, 512]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          fs.writeSync(fd, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The data directory fills up: tmpfs with a filler file, or RLIMIT_FSIZE when mounting is not permitted. */
export function fullDisk(sizeBytes = 64 * 1024 * 1024, method: 'tmpfs' | 'rlimit-fsize' = 'tmpfs'): DiskFault {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-disk-full-'));
  const noMount = method === 'tmpfs' ? tryMountTmpfs(dir, sizeBytes) : 'asked for';
  const filler = path.join(dir, 'filler');
  if (!noMount) {
    return {
      kind: 'full', method: 'tmpfs', dir, restartNeeded: false,
      inject: () => fill(filler),
      clear: () => fs.rmSync(filler, { force: true }),
      dispose: () => {
        umount(dir);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const largest = (): number => {
    let max = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) max = Math.max(max, fs.statSync(p).size);
      }
    };
    walk(dir);
    return max;
  };
  return {
    kind: 'full', method: 'rlimit-fsize', dir, restartNeeded: false,
    inject: (pid) => void run('prlimit', ['--pid', String(pid), `--fsize=${largest()}:unlimited`]),
    clear: (pid) => void run('prlimit', ['--pid', String(pid), '--fsize=unlimited:unlimited']),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The data directory turns read-only under the running cluster (ext4 error → remount-ro); see the file comment. */
export function readOnlyDisk(sizeBytes = 96 * 1024 * 1024): DiskFault | Unavailable {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-disk-ro-'));
  const image = `${dir}.img`;
  let mounted = false;
  const dispose = () => {
    if (mounted) umount(dir);
    mounted = false;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(image, { force: true });
  };
  const mount = () => {
    run('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
    mounted = true;
  };
  try {
    run('e2fsck', ['-V']); // needed by clear(): better to know now
    fs.writeFileSync(image, '');
    fs.truncateSync(image, sizeBytes);
    run('mkfs.ext4', ['-q', '-F', image]);
    mount();
    fs.chmodSync(dir, 0o700);
  } catch (e) {
    dispose();
    return { reason: `cannot mount an ext4 image on a loop device here (${errText(e)})` };
  }
  const device = () => path.basename(run('findmnt', ['-no', 'SOURCE', dir]).trim());
  const trigger = `/sys/fs/ext4/${device()}/trigger_fs_error`;
  if (!fs.existsSync(trigger)) {
    dispose();
    return { reason: `this kernel has no ${trigger} to make ext4 remount read-only` };
  }
  return {
    kind: 'read-only', method: 'ext4-error-remount-ro', dir, restartNeeded: true,
    inject: () => {
      fs.writeFileSync(trigger, '1');
      try {
        fs.writeFileSync(path.join(dir, 'probe'), 'x');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EROFS') return;
        throw e;
      }
      throw new Error(`${dir} did not turn read-only`);
    },
    clear: () => {
      umount(dir);
      mounted = false;
      try {
        run('e2fsck', ['-fy', image]);
      } catch (e) {
        // exit code 1 means "errors corrected": the file system is fine to mount again
        if ((e as { status?: number }).status !== 1) throw e;
      }
      mount();
    },
    dispose,
  };
}
