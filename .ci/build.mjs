// Bundles KubeLab with esbuild (and copies sql.js and etcd's .proto files beside the bundles). Usage: node .ci/build.mjs [--production] [--watch]
//   default:       sourcemaps, no minification (for debugging and tests)
//   --production:  minified, no sourcemaps (what the .vsix ships; run by `vscode:prepublish`)
//   --watch:       rebuild on change until interrupted
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--production' && a !== '--watch') {
    console.error(`build: unknown argument ${a}; usage: node .ci/build.mjs [--production] [--watch]`);
    process.exit(2);
  }
}
const production = args.has('--production');
const watch = args.has('--watch');

/** etcd's .proto files, loaded at runtime from dist/etcd-proto/ by the etcd3 client and by our gRPC server
 * (src/storage/grpc/proto.ts looks in `etcd-proto/` beside the bundle). */
const etcdProtoFiles = ['rpc.proto', 'kv.proto', 'auth.proto'];
const etcdProtoDir = 'etcd-proto';
const etcd3ProtoPath = '`${__dirname}/../proto/rpc.proto`';

/**
 * etcd3's connection-pool.js loads `${__dirname}/../proto/rpc.proto` when it is first required; in a bundle
 * __dirname is the bundle's directory, so the path is rewritten to the copy in etcd-proto/ beside it. The build
 * fails if the expression is not found (a new etcd3 version loading its protos differently must be looked at).
 * @type {esbuild.Plugin}
 */
const etcd3ProtoPlugin = {
  name: 'etcd3-proto-path',
  setup(build) {
    build.onLoad({ filter: /[\\/]etcd3[\\/]lib[\\/]connection-pool\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes(etcd3ProtoPath)) {
        return { errors: [{ text: `etcd3's connection-pool.js no longer loads ${etcd3ProtoPath}; update .ci/build.mjs` }] };
      }
      return { contents: text.replace(etcd3ProtoPath, `\`\${__dirname}/${etcdProtoDir}/rpc.proto\``), loader: 'js' };
    });
  },
};

/** @type {esbuild.BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: !production,
  minify: production,
  keepNames: true,
  logLevel: 'info',
  legalComments: 'none',
  plugins: [etcd3ProtoPlugin],
};

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // The cluster runs in a worker thread (VS Code) or in the foreground (CLI); it must never need 'vscode',
    // so 'vscode' is deliberately not external here: importing it fails the build.
    ...common,
    entryPoints: ['src/cluster/main.ts'],
    outfile: 'dist/cluster.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The worker thread the extension host runs the cluster in (src/cluster/cluster-worker.ts starts it).
    ...common,
    entryPoints: ['src/cluster/worker-main.ts'],
    outfile: 'dist/cluster-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // kube-scheduler's thread (src/cluster/scheduler-thread.ts starts it, beside cluster.js or cluster-worker.js).
    ...common,
    entryPoints: ['src/cluster/scheduler-worker-main.ts'],
    outfile: 'dist/scheduler-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'media/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: 'webview/tsconfig.json',
  },
];

/** sql.js (its JS, patched at load by src/storage/sqljs/sqljs-loader.ts, and its wasm) is loaded at runtime from
 * beside the bundle. */
const sqlJsFiles = ['sql-wasm.wasm', 'sql-wasm.js'];
const sqlJsTargets = [join(root, 'dist'), join(root, 'media')];

async function copyAssets() {
  for (const dir of sqlJsTargets) {
    await mkdir(dir, { recursive: true });
    for (const f of sqlJsFiles) await copyFile(join(root, 'node_modules/sql.js/dist', f), join(dir, f));
  }
  await mkdir(join(root, 'dist', etcdProtoDir), { recursive: true });
  for (const f of etcdProtoFiles) await copyFile(join(root, 'node_modules/etcd3/proto', f), join(root, 'dist', etcdProtoDir, f));
}

async function clean() {
  await rm(join(root, 'dist'), { recursive: true, force: true });
  for (const f of ['media/webview.js', 'media/webview.js.map', 'media/sql-wasm.wasm', 'media/sql-wasm.js']) {
    await rm(join(root, f), { force: true });
  }
}

await clean();
if (watch) {
  const contexts = await Promise.all(bundles.map((b) => esbuild.context(b)));
  await copyAssets();
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('build: watching for changes (Ctrl+C to stop)');
  process.on('SIGINT', async () => {
    await Promise.all(contexts.map((c) => c.dispose()));
    process.exit(0);
  });
} else {
  try {
    await Promise.all(bundles.map((b) => esbuild.build(b)));
    await copyAssets();
  } catch {
    // esbuild has already printed the errors (logLevel 'info').
    process.exit(1);
  }
  console.log(`build: done (${production ? 'production' : 'development'})`);
}
