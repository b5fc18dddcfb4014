/**
 * `npm run bench -- reliability`: issue 11's suite against the cluster started as the README says — crash under
 * load (SIGKILL rounds), node failures, disk trouble, load (100 clients + 200 watchers) with slow and dead clients,
 * the HTTP fuzzer, and the manifest-apply and store-file fuzzers. Each area prints its figures as JSON lines
 * (bench "reliability", metric "<area>_<figure>"); the same scenarios run smaller as tests in
 * test/integration/reliability-*.test.ts, which assert the targets.
 *   KUBELAB_BENCH_ONLY=crash,load  runs only those areas (crash, nodes, disk, load, fuzz, inputs);
 *   KUBELAB_BENCH_SCALE=0.1        a smoke run.
 */
import { benchCrash } from './reliability-crash';
import { benchDisk } from './reliability-disk';
import { benchFuzz } from './reliability-fuzz';
import { benchInputs } from './reliability-inputs';
import { benchLoad } from './reliability-load';
import { benchNodes } from './reliability-nodes';
import { progress } from './util';

const AREAS: Record<string, () => Promise<void>> = {
  load: benchLoad,
  crash: benchCrash,
  nodes: benchNodes,
  disk: benchDisk,
  fuzz: benchFuzz,
  inputs: benchInputs,
};

export async function run(): Promise<void> {
  const only = (process.env.KUBELAB_BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((a) => !(a in AREAS));
  if (unknown.length > 0) throw new Error(`unknown area(s) ${unknown.join(', ')} in KUBELAB_BENCH_ONLY; areas: ${Object.keys(AREAS).join(', ')}`);
  for (const [area, bench] of Object.entries(AREAS)) {
    if (only.length > 0 && !only.includes(area)) continue;
    progress(`reliability: ${area}`);
    await bench();
  }
}
