/**
 * The ClusterConfig loader: YAML text (or an already decoded object) → a resolved, validated ClusterConfig plus
 * warnings. Strict like upstream's config decoders: apiVersion kubelab.dev/v1alpha1 and kind ClusterConfig are
 * required, unknown fields are errors, every problem is reported at once, each naming its field path — and, for
 * YAML, its line (`nodes[2].capacity.cpu: invalid quantity "abc": … (line 14)`). A schedulerConfig given as a path is
 * read relative to the config file and validated with kube-scheduler's own loader before anything starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { loadSchedulerConfig } from '../../scheduler/config/load';
import { decodeClusterConfig } from './decode';
import { Reader, problemText, type Problem, type Seg } from './reader';
import { configWarnings } from './overrides';
import { ClusterConfigError, type LoadedClusterConfig } from './types';

export interface ParseOptions {
  /** Where a relative schedulerConfig path or etcd TLS file is resolved; default the current directory. */
  baseDir?: string;
}

/** The line of the deepest node of `doc` on `p` (the value, or its nearest existing ancestor). */
function lineOf(doc: Document, lc: LineCounter, p: readonly Seg[]): number | undefined {
  for (let n = p.length; n > 0; n--) {
    const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

function readSchedulerConfig(r: Reader, v: unknown, baseDir: string): string | Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  let input: string | Record<string, unknown>;
  let from = '';
  if (typeof v === 'string' && !v.includes('\n')) {
    const file = path.resolve(baseDir, v);
    try {
      input = fs.readFileSync(file, 'utf8');
    } catch (e) {
      r.add(['schedulerConfig'], `cannot read ${JSON.stringify(v)}: ${(e as Error).message}`);
      return undefined;
    }
    from = ` (${file})`;
  } else if (typeof v === 'string') {
    input = v;
  } else if (typeof v === 'object' && !Array.isArray(v)) {
    input = structuredClone(v as Record<string, unknown>);
  } else {
    r.add(['schedulerConfig'], `expected a file path or an inline KubeSchedulerConfiguration, got ${JSON.stringify(v)}`);
    return undefined;
  }
  try {
    loadSchedulerConfig(input);
  } catch (e) {
    r.add(['schedulerConfig'], `invalid KubeSchedulerConfiguration${from}: ${(e as Error).message}`);
    return undefined;
  }
  return input;
}

/** Parse and validate a ClusterConfig; throws ClusterConfigError listing every problem. */
export function parseClusterConfig(input: string | Record<string, unknown>, source: string, opts: ParseOptions = {}): LoadedClusterConfig {
  let value: unknown = input;
  let lineFor: ((p: Problem) => number | undefined) | undefined;
  if (typeof input === 'string') {
    const lc = new LineCounter();
    const doc = parseDocument(input, { lineCounter: lc, uniqueKeys: true });
    if (doc.errors.length) throw new ClusterConfigError(source, doc.errors.map((e) => `invalid YAML: ${e.message.trim()}`));
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw new ClusterConfigError(source, [`invalid YAML: ${(e as Error).message}`]);
    }
    lineFor = (p) => (p.path.length ? lineOf(doc, lc, p.path) : undefined);
  }
  const r = new Reader();
  const baseDir = opts.baseDir ?? process.cwd();
  const config = decodeClusterConfig(r, value, (v) => readSchedulerConfig(r, v, baseDir), baseDir);
  if (r.problems.length || !config) {
    // In file order when the lines are known (a stable sort keeps checks on one line in their order).
    const found = r.problems.map((p) => ({ p, line: lineFor?.(p) }));
    found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ClusterConfigError(source, found.map(({ p, line }) => (line ? `${problemText(p)} (line ${line})` : problemText(p))));
  }
  return { config, warnings: configWarnings(config) };
}

/** Read and parse a ClusterConfig file; a relative schedulerConfig path is taken from the file's directory. */
export function loadClusterConfigFile(file: string): LoadedClusterConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory, not a file' : err.message;
    throw new ClusterConfigError(file, [`cannot read the cluster configuration: ${why}`]);
  }
  return parseClusterConfig(text, file, { baseDir: path.dirname(path.resolve(file)) });
}
