/**
 * Benchmark runner: `npm run bench -- <name>` runs `test/bench/<name>.bench.ts`, whose `run()` prints one JSON
 * object per line to stdout ({"bench","metric","value","unit","better"} plus "peer","peerValue","ratio" when a real
 * peer was measured in the same run). Progress goes to stderr.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SUFFIX = '.bench.ts';

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
  const mod = (await import(pathToFileURL(join(__dirname, `${name}${SUFFIX}`)).href)) as {
    run?: () => Promise<void>;
    default?: { run?: () => Promise<void> };
  };
  const run = mod.run ?? mod.default?.run;
  if (typeof run !== 'function') {
    process.stderr.write(`test/bench/${name}${SUFFIX} does not export run()\n`);
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
