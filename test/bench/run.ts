/**
 * Benchmark runner: `npm run bench -- <name>` runs `test/bench/<name>.bench.ts`, whose `run()` prints one JSON
 * object per line to stdout ({"bench","metric","value","unit","better"} plus "peer","peerValue","ratio" when a real
 * peer was measured in the same run). Progress goes to stderr. `npm run bench` runs this file bundled
 * (.ci/bundle-node.mjs: dist-node/bench/run.js beside one <name>.bench.js per benchmark); under tsx it loads the
 * TypeScript files beside it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SUFFIX = __filename.endsWith('.ts') ? '.bench.ts' : '.bench.js';

function available(): string[] {
  return readdirSync(__dirname)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

async function main(): Promise<number> {
  const name = process.argv[2];
  const names = available();
  if (!name || !names.includes(name)) {
    process.stderr.write(
      `${name ? `unknown benchmark "${name}"` : 'no benchmark named'}\n` +
        `usage: npm run bench -- <name>\navailable: ${names.join(', ') || '(none)'}\n`,
    );
    return 2;
  }
  const file = join(__dirname, `${name}${SUFFIX}`);
  const mod = (await import(pathToFileURL(file).href)) as {
    run?: () => Promise<void>;
    default?: { run?: () => Promise<void> };
  };
  const run = mod.run ?? mod.default?.run;
  if (typeof run !== 'function') {
    process.stderr.write(`${file} does not export run()\n`);
    return 1;
  }
  await run();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Lingering handles (gRPC channels, timers) must not keep a finished benchmark alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
