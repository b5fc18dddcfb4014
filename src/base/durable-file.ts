/**
 * Writing a small file so that it survives a crash or power loss right after: the data goes to `<file>.tmp`, is
 * fsynced, renamed over `file` and the directory is fsynced. A reader then finds either the old file or the whole
 * new one, never an empty or half-written one (a plain writeFileSync can leave an empty file behind when the machine
 * stops before the page cache reaches the disk, and the cluster's keys and certificates must not vanish that way).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileDurable(file: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
