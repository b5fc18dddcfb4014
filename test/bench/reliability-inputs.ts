/**
 * Issue 11, Bad input — the manifest apply path and the store's files, at full size: 3,000 fuzzed manifests through
 * size check → parseManifests → ManifestRunner against the in-process API server (plus the 50 MB file and a file
 * at the 8 MB limit), and 1,500 random corruptions of a store's snapshot and WAL. KUBELAB_BENCH_SCALE scales both
 * counts. One JSON line per figure (bench `reliability`, metrics `inputs_*`).
 */
import { benchScale } from '../helpers/reliability/load-kit';
import { runManifestFuzz } from '../helpers/reliability/manifest-apply-fuzz';
import { runStoreCorruption } from '../helpers/reliability/store-corruption';
import { emit, line, progress, type Better } from './util';

export async function benchInputs(): Promise<void> {
  const scale = benchScale();
  const out = (metric: string, value: number, unit: string, better: Better) => emit(line('reliability', `inputs_${metric}`, value, unit, better));
  const every = (n: number) => (done: number, total: number) => done % n === 0 && progress(`${done}/${total}`);

  const cases = Math.max(20, Math.round(3000 * scale));
  const seed = Date.now() % 100_000;
  progress(`manifest apply fuzz: ${cases} manifests, seed ${seed}`);
  const m = await runManifestFuzz({ cases, seed, onProgress: every(500) });
  for (const v of m.violations.slice(0, 20)) progress(`violation: ${v}`);
  const manifestFigures: [string, number, string, Better][] = [
    ['manifests_tried', m.manifests, 'manifests', 'higher'],
    ['manifest_documents', m.documents, 'documents', 'higher'],
    ['manifest_crashes', m.crashes, 'crashes', 'lower'],
    ['manifest_unclear_errors', m.unclearErrors, 'errors', 'lower'],
    ['manifest_server_errors', m.serverErrors, 'responses', 'lower'],
    ['manifest_violations', m.violations.length, 'violations', 'lower'],
    ['manifest_max_file_ms', m.maxFileMs, 'ms', 'lower'],
    ['manifest_heap_retained_mb', m.heapRetainedMb, 'MB', 'lower'],
  ];
  if (m.bigFile) manifestFigures.push(['manifest_50mb_refused', m.bigFile.refused ? 1 : 0, 'bool', 'higher'], ['manifest_50mb_ms', m.bigFile.ms, 'ms', 'lower'], ['manifest_50mb_heap_mb', m.bigFile.heapGrowthMb, 'MB', 'lower']);
  if (m.limitFile) manifestFigures.push(['manifest_8mb_parse_ms', m.limitFile.parseMs, 'ms', 'lower'], ['manifest_8mb_heap_mb', m.limitFile.heapMb, 'MB', 'lower']);
  for (const f of manifestFigures) out(...f);

  const corruptions = Math.max(20, Math.round(1500 * scale));
  progress(`store corruption: ${corruptions} corrupted directories, seed ${seed}`);
  const s = await runStoreCorruption({ corruptions, seed, onProgress: every(250) });
  for (const v of s.violations.slice(0, 20)) progress(`violation: ${v}`);
  const storeFigures: [string, number, string, Better][] = [
    ['store_corruptions_tried', s.corruptions, 'corruptions', 'higher'],
    ['store_wrong_data_opens', s.wrongDataOpens, 'opens', 'lower'],
    ['store_unclear_failures', s.unclearFailures, 'opens', 'lower'],
    ['store_files_changed_on_failure', s.filesChangedOnFailure, 'opens', 'lower'],
    ['store_clean_failures', s.cleanFailures, 'opens', 'higher'],
    ['store_recoveries', s.recoveries, 'opens', 'higher'],
    ['store_full_recoveries', s.fullRecoveries, 'opens', 'higher'],
    ['store_violations', s.violations.length, 'violations', 'lower'],
  ];
  for (const f of storeFigures) out(...f);
}
