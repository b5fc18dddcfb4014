/**
 * The real kubectl against a KubeLab API server: `get --watch` for pods and events (spawned, bounded: wait for the
 * header and a row for an object created meanwhile, then kill the process group), and `--output-watch-events`.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseTable } from '../helpers/kubectl';
import { kubectlSuite } from '../helpers/kubectl-suite';

const pod = (name: string, app: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app } },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
});

test('kubectl: get --watch', { timeout: 90_000 }, async (t) => {
  await kubectlSuite(t, async ({ k }) => {
    await t.test('get pods --watch prints the header and a row for a pod created after it started', async () => {
      await k.ok(['create', '-f', k.writeManifest('first.yaml', pod('watch-1', 'watched'))]);
      const w = k.watch(['get', 'pods', '-l', 'app=watched', '--watch']);
      try {
        await w.until(/^watch-1 /m, 'the listed pod');
        await k.ok(['create', '-f', k.writeManifest('second.yaml', pod('watch-2', 'watched'))]);
        await w.until(/^watch-2 /m, 'the row of the pod created during the watch');
        await k.ok(['label', 'pod', 'watch-2', 'more=yes']);
        await w.until((s) => s.split('\n').filter((l) => l.startsWith('watch-2 ')).length >= 2, 'a second row for the modified pod');
        const table = parseTable(w.stdout);
        assert.deepEqual(table.headers, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
        assert.equal(w.stdout.split('\n').filter((l) => l.startsWith('NAME ')).length, 1, 'one header');
        assert.deepEqual(
          table.rows.map((r) => [r.NAME, r.READY, r.STATUS, r.RESTARTS]),
          [
            ['watch-1', '0/1', 'Pending', '0'],
            ['watch-2', '0/1', 'Pending', '0'],
            ['watch-2', '0/1', 'Pending', '0'],
          ],
        );
        for (const r of table.rows) assert.match(r.AGE, /^\d+s$/);
      } finally {
        await w.stop();
      }
    });

    await t.test('get pods --watch --output-watch-events labels each row with its event type', async () => {
      await k.ok(['create', '-f', k.writeManifest('evented.yaml', pod('watch-0', 'evented'))]);
      const w = k.watch(['get', 'pods', '-l', 'app=evented', '--watch', '--output-watch-events']);
      try {
        // Once the listed object is printed, anything created later is after the list's resourceVersion.
        await w.until(/^ADDED\s+watch-0 /m, 'the listed pod as ADDED');
        await k.ok(['create', '-f', k.writeManifest('third.yaml', pod('watch-3', 'evented'))]);
        await w.until(/^ADDED\s+watch-3 /m, 'the ADDED row');
        assert.equal(await k.ok(['delete', 'pod', 'watch-3']), 'pod "watch-3" deleted\n');
        await w.until(/^DELETED\s+watch-3 /m, 'the DELETED row');
        assert.deepEqual(parseTable(w.stdout).headers, ['EVENT', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      } finally {
        await w.stop();
      }
    });

    await t.test('get events --watch prints the header and a row for an event created after it started', async () => {
      const event = (name: string, message: string) => {
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        return {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name },
          involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'watch-1', namespace: 'default' },
          reason: 'Testing',
          message,
          type: 'Normal',
          source: { component: 'kubelab-test' },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        };
      };
      assert.equal(await k.ok(['create', '-f', k.writeManifest('event-1.yaml', event('watch-1.first', 'before the watch'))]), 'event/watch-1.first created\n');
      const w = k.watch(['get', 'events', '--watch']);
      try {
        await w.until(/before the watch/, 'the listed event');
        assert.equal(await k.ok(['create', '-f', k.writeManifest('event-2.yaml', event('watch-1.second', 'hello from the watch test'))]), 'event/watch-1.second created\n');
        await w.until(/hello from the watch test/, 'the row of the event created during the watch');
        const table = parseTable(w.stdout);
        assert.deepEqual(table.headers, ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
        assert.deepEqual(
          table.rows.map((r) => [r.TYPE, r.REASON, r.OBJECT, r.MESSAGE]),
          [
            ['Normal', 'Testing', 'pod/watch-1', 'before the watch'],
            ['Normal', 'Testing', 'pod/watch-1', 'hello from the watch test'],
          ],
        );
        for (const r of table.rows) assert.match(r['LAST SEEN'], /^\d+s$/);
      } finally {
        await w.stop();
      }
    });
  });
});
