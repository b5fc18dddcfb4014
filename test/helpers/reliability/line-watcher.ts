/**
 * A watcher for load generation that costs the generator almost nothing: it opens the watch over HTTPS with the
 * kubeconfig's credentials and counts the event lines as they stream in (no JSON parsing), noting BOOKMARK lines
 * apart and any ERROR event or early end as a problem. On a 2-core machine a generator that decodes every event of
 * 200 watchers (~10k events/s) would take the CPU the measured API server needs, and its own event loop would add
 * delay to the latencies it records.
 */
import * as https from 'node:https';
import { queryString, type RestRequest } from '../../../src/client/transport';
import type { KubeconfigCredentials } from './cluster-client';

export interface LineWatcherState {
  what: string;
  /** Event lines received, BOOKMARKs not counted. */
  events: number;
  bookmarks: number;
  problem?: string;
  stopped: boolean;
}

const ERROR_MARK = '{"type":"ERROR"';
const BOOKMARK_MARK = '{"type":"BOOKMARK"';
const HEAD = BOOKMARK_MARK.length;

/** Counts the events of a JSON-lines watch stream fed in arbitrary chunks, by the first bytes of each line. */
export class EventLineCounter {
  events = 0;
  bookmarks = 0;
  errors = 0;
  /** The first bytes of the current line while fewer than HEAD have arrived; undefined once it was classified. */
  private head: string | undefined = '';

  push(chunk: string): void {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf('\n', from);
      const lineEnd = nl < 0 ? chunk.length : nl;
      if (this.head !== undefined) {
        this.head += chunk.slice(from, Math.min(lineEnd, from + HEAD - this.head.length));
        if (this.head.length >= HEAD || nl >= 0) this.classify(this.head);
      }
      if (nl < 0) return;
      from = nl + 1;
      this.head = '';
    }
  }

  private classify(head: string): void {
    this.head = undefined;
    if (!head) return; // an empty line
    if (head.startsWith(ERROR_MARK)) this.errors++;
    else if (head.startsWith(BOOKMARK_MARK)) this.bookmarks++;
    else this.events++;
  }
}

/** Opens the watch; resolves once the response headers arrived (a non-200 answer is recorded as the problem). */
export function openLineWatcher(creds: KubeconfigCredentials, agent: https.Agent, what: string, req: RestRequest): Promise<{ state: LineWatcherState; stop: () => void }> {
  const state: LineWatcherState = { what, events: 0, bookmarks: 0, stopped: false };
  const url = new URL(req.path + queryString({ ...req.query, watch: 'true' }), creds.url);
  return new Promise((resolve) => {
    const stop = () => {
      state.stopped = true;
      r.destroy();
    };
    const r = https.get(url, { agent, headers: { authorization: `Bearer ${creds.token}`, accept: 'application/json', 'user-agent': 'kubelab-reliability-watcher' } }, (res) => {
      if (res.statusCode !== 200) {
        state.problem = `${what}: answered ${res.statusCode}`;
        res.resume();
      } else {
        const counter = new EventLineCounter();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          counter.push(chunk);
          state.events = counter.events;
          state.bookmarks = counter.bookmarks;
          if (counter.errors) state.problem ??= `${what}: ERROR event`;
        });
        res.on('end', () => {
          if (!state.stopped) state.problem ??= `${what}: the watch ended early`;
        });
        res.on('error', () => {
          if (!state.stopped) state.problem ??= `${what}: the watch broke`;
        });
      }
      resolve({ state, stop });
    });
    r.on('error', (e) => {
      if (state.stopped) return;
      state.problem ??= `${what}: ${e.message}`;
      resolve({ state, stop });
    });
  });
}
