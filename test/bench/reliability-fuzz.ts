/**
 * Issue 11, Bad input → the HTTP surface at full size for `npm run bench -- reliability`: 100,000 fast-check requests
 * (test/helpers/reliability/http-fuzz.ts; FUZZ_SEED picks the seed) against the real API server over HTTPS, every
 * violation collected rather than stopping at the first. KUBELAB_BENCH_SCALE scales the count. One JSON line per
 * figure; progress and each violation on stderr.
 */
import { runHttpFuzz } from '../helpers/reliability/http-fuzz';
import { emit, line, progress } from './util';

const SCALE = Number(process.env.KUBELAB_BENCH_SCALE ?? '1') || 1;

export async function benchFuzz(): Promise<void> {
  const requests = Math.max(1000, Math.round(100_000 * SCALE));
  const seed = Number(process.env.FUZZ_SEED ?? 20261126);
  progress(`http fuzz: ${requests} requests, seed ${seed}`);
  const r = await runHttpFuzz({ requests, seed, concurrency: 8, stopOnViolation: false, progress: (m) => progress(`http fuzz: ${m}`) });
  for (const v of r.violations) progress(`http fuzz: VIOLATION ${v}`);
  progress(`http fuzz: outcomes ${JSON.stringify(r.outcomes)}`);
  const out = (metric: string, value: number, unit: string, better: 'higher' | 'lower') => emit(line('reliability', `fuzz_${metric}`, value, unit, better));
  out('requests', r.requests, 'requests', 'higher');
  out('requests_per_second', r.requestsPerSecond, 'req/s', 'higher');
  out('5xx', r.fiveXX, 'responses', 'lower');
  out('crashes', r.crashes, 'crashes', 'lower');
  out('malformed_errors', r.malformedErrors, 'responses', 'lower');
  out('unanswered', r.unanswered, 'requests', 'lower');
  out('objects_written_checked', r.writtenChecked, 'objects', 'higher');
  out('objects_stored_checked', r.storedChecked, 'objects', 'higher');
  out('invalid_objects_stored', r.invalidStored, 'objects', 'lower');
  out('upstream_5xx', Object.entries(r.outcomes).filter(([k]) => k.startsWith('upstream-')).reduce((a, [, n]) => a + n, 0), 'responses', 'lower');
  out('max_event_loop_block', r.maxEventLoopBlockMs, 'ms', 'lower');
  out('violations', r.violations.length, 'violations', 'lower');
}
