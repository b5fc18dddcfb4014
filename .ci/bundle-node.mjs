// Bundles what `npm start` and `npm run bench` run, the way the extension ships KubeLab (esbuild, one file per
// entry), so the headless cluster and the benchmarks run the same kind of code as the .vsix: cross-module calls are
// plain calls in one scope, not the getter objects tsx's per-file CommonJS output goes through (~6 % of an API
// server create's CPU time under tsx). Usage: node .ci/bundle-node.mjs cli|bench
//   cli:   src/cli/main.ts → dist-node/cli/main.js (+ scheduler-worker.js beside it)
//   bench: test/bench/run.ts, every test/bench/*.bench.ts and scheduler-process.ts → dist-node/bench/ (+ the same)
// npm packages stay external (required from node_modules as under tsx). Files are written under a temporary name
// and renamed into place, so a process starting from an earlier bundle never reads a half-written one. Prints to
// stderr only (a benchmark's stdout is its JSON lines).
import * as esbuild from 'esbuild';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const what = process.argv[2];
const benchDir = 'test/bench';

/** Entry (relative to the repository) → output file name, per target. */
async function entries(target) {
  const worker = { 'src/cluster/scheduler-worker-main.ts': 'scheduler-worker.js' };
  if (target === 'cli') return { 'src/cli/main.ts': 'main.js', ...worker };
  const benches = (await readdir(join(root, benchDir))).filter((f) => f.endsWith('.bench.ts'));
  const out = { [`${benchDir}/run.ts`]: 'run.js', [`${benchDir}/scheduler-process.ts`]: 'scheduler-process.js', ...worker };
  for (const f of benches) out[`${benchDir}/${f}`] = f.replace(/\.ts$/, '.js');
  return out;
}

if (what !== 'cli' && what !== 'bench') {
  console.error(`bundle-node: unknown target ${what ?? '(none)'}; usage: node .ci/bundle-node.mjs cli|bench`);
  process.exit(2);
}
const outDir = join(root, 'dist-node', what);
await mkdir(outDir, { recursive: true });
try {
  const built = await Promise.all(
    Object.entries(await entries(what)).map(async ([entry, file]) => {
      const r = await esbuild.build({
        absWorkingDir: root,
        entryPoints: [entry],
        outfile: join(outDir, file),
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        sourcemap: 'linked',
        write: false,
        logLevel: 'warning',
        legalComments: 'none',
      });
      return r.outputFiles;
    }),
  );
  const files = built.flat();
  const tmp = `.${process.pid}.tmp`;
  await Promise.all(files.map((f) => writeFile(f.path + tmp, f.contents)));
  for (const f of files) await rename(f.path + tmp, f.path);
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}
