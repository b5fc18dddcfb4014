/**
 * Compaction over etcd, and finding the compaction revision (etcd has no call that reports it).
 *
 * Contract:
 * - compact(revision): etcd's Compact (not waiting for the physical cleanup; reads below it fail at once).
 *   Refusals keep etcd's words ('compacted' carries the compaction revision, 'future-revision'). A retry after an
 *   ambiguous failure that is refused as compacted at exactly `revision` succeeded the first time.
 * - compactRevision(): 0 when a read at revision 1 still works; otherwise a watch from revision 1 is refused and
 *   etcd's answer names the compaction revision. (A compaction at revision 1 itself cannot be told apart from none.)
 */
import { errors } from '../errors';
import { StoreError } from '../store';
import type { EtcdConnection } from './connection';
import { int } from './convert';
import { classify } from './error-map';

interface ProbeStream {
  write(msg: unknown): boolean;
  on(event: 'data', fn: (r: { compact_revision: string; canceled: boolean; created: boolean; events?: unknown[] }) => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
  removeAllListeners(): unknown;
  cancel(): void;
}

export async function compact(conn: EtcdConnection, revision: number): Promise<void> {
  if (!Number.isSafeInteger(revision) || revision < 0) throw errors.invalid(`compaction revision must be a non-negative integer, got ${revision}`);
  let ambiguous = false;
  try {
    const { res } = await conn.call(async (o) => {
      try {
        return await conn.kv.compact({ revision: String(revision), physical: false } as never, o);
      } catch (e) {
        if (classify(e).ambiguous) ambiguous = true;
        throw e;
      }
    });
    conn.noteHeader(res.header);
  } catch (e) {
    if (e instanceof StoreError && e.code === 'compacted') {
      const current = await compactRevision(conn);
      if (ambiguous && current === revision) return;
      throw errors.compacted(current);
    }
    throw e;
  }
}

export async function compactRevision(conn: EtcdConnection): Promise<number> {
  try {
    const { res } = await conn.call((o) => conn.kv.range({ key: Buffer.from([0]), count_only: true, revision: '1' } as never, o));
    conn.noteHeader(res.header);
    return 0;
  } catch (e) {
    if (!(e instanceof StoreError) || e.code !== 'compacted') throw e;
  }
  const { res } = await conn.call(async () => {
    const stream = await conn.openStream<ProbeStream>('Watch', 'watch');
    try {
      return await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('DEADLINE_EXCEEDED: no answer to the compaction probe')), conn.options.callTimeout);
        const done = (f: () => void) => {
          clearTimeout(timer);
          f();
        };
        stream.on('data', (r) => {
          const cr = int(r.compact_revision);
          if (cr > 0) done(() => resolve(cr));
          else if (r.canceled || r.events?.length) done(() => resolve(0));
        });
        stream.on('error', (err) => done(() => reject(err)));
        stream.on('end', () => done(() => reject(new Error('UNAVAILABLE: watch stream ended'))));
        stream.write({ create_request: { key: Buffer.from([0]), start_revision: '1' } });
      });
    } finally {
      stream.removeAllListeners();
      stream.on('error', () => undefined);
      stream.cancel();
    }
  });
  return res;
}
