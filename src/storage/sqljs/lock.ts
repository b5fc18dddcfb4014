import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Logger } from '../../base/logger';
import { StoreError } from '../store';
import { processAlive } from '../../base/process-alive';

/** Processes of this one that hold a data directory (the pid alone cannot tell two opens in one process apart). */
const heldHere = new Set<string>();

/**
 * One process owns a data directory: LOCK holds its pid and, on a second line, the thread that opened it. A live
 * holder (this process included: this thread's own open, or another worker thread's — worker threads share the pid
 * but not this module) makes the open fail with an error naming it; a LOCK left by a dead process, or one without a
 * pid in it, is taken over. (A worker thread that dies without closing leaves its LOCK: its owner removes it.)
 */
export function acquireLock(dir: string, logger: Logger): () => void {
  const file = path.join(dir, 'LOCK');
  const real = fs.realpathSync(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n${threadId}\n`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      heldHere.add(real);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(real);
        try {
          if (fs.readFileSync(file, 'utf8').trim() === `${process.pid}\n${threadId}`) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError('io', `cannot lock data directory ${dir}: ${(e as Error).message}`);
      }
    }
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    const [pidText, threadText] = text.split('\n');
    const pid = /^\d+$/.test(pidText ?? '') ? Number(pidText) : NaN;
    const otherThread = /^\d+$/.test(threadText ?? '') && Number(threadText) !== threadId;
    if (pid === process.pid ? heldHere.has(real) || otherThread : Number.isFinite(pid) && processAlive(pid)) {
      throw new StoreError('locked', `data directory ${dir} is in use by process ${pid} (${file}); stop that process or use another directory`);
    }
    logger.warn(`taking over ${file}: ${Number.isFinite(pid) ? `process ${pid} is gone` : `it holds no pid (${JSON.stringify(text.slice(0, 40))})`}`);
    try {
      fs.unlinkSync(file);
    } catch {
      /* someone else removed it */
    }
  }
  throw new StoreError('locked', `cannot lock data directory ${dir}: ${file} keeps reappearing`);
}
