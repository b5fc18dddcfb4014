/**
 * The headless command's flags: parseCli(argv) → CliOptions, or an Error with a clear message (unknown flags add the
 * usage). Flags that change the cluster (`--port`, `--nodes`, `--time-scale`, `--proxy-mode`, `--dns-port`, `--ingress-port`) are present only when given, so they
 * override a `--config` file and leave its values alone otherwise (see src/cli/cluster-config.ts).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_TIME_SCALE, MAX_WORKERS } from '../cluster/config/types';
import { PROXY_MODES } from '../cluster/config/networking';

export interface CliOptions {
  dataDir: string;
  /** HTTPS port on 127.0.0.1 (0 = a free one); absent = the config file's, else 6443. */
  port?: number;
  /** A ClusterConfig YAML file, as an absolute path. */
  config?: string;
  /** Number of worker nodes (the control plane not counted). */
  nodes?: number;
  /** Multiplier of the simulated delays. */
  timeScale?: number;
  /** kube-proxy mode; the DNS and ingress add-ons' loopback ports (0 = a free one). */
  proxyMode?: string;
  dnsPort?: number;
  ingressPort?: number;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [--data-dir DIR] [--config FILE] [--port N] [--nodes N] [--time-scale X]
                 [--proxy-mode MODE] [--dns-port N] [--ingress-port N]

  --data-dir DIR     where the cluster keeps its state (default ~/.kubelab)
  --config FILE      a ClusterConfig YAML file (apiVersion: kubelab.dev/v1alpha1, kind: ClusterConfig)
  --port N           HTTPS port of the API server on 127.0.0.1 (default 6443; 0 picks a free port)
  --nodes N          number of worker nodes, 0 to ${MAX_WORKERS} (default 3; the control plane is extra)
  --time-scale X     multiplies the simulated delays such as image pulls (default 1; 0.1 is ten times faster)
  --proxy-mode MODE  kube-proxy's mode: iptables (default), ipvs or userspace (real TCP forwarding on loopback)
  --dns-port N       the cluster DNS add-on's port on 127.0.0.1 (default 10053; 0 picks a free port)
  --ingress-port N   the ingress controller's HTTP port on 127.0.0.1 (default 10080; 0 picks a free port)
  -h, --help         this text

The flags override the values of --config.`;

const expandHome = (p: string) => p.replace(/^~(?=$|\/)/, os.homedir());

function wholeNumber(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new Error(`${flag} must be a whole number from 0 to ${max}, not ${JSON.stringify(text)}`);
  return Number(text);
}

function timeScale(text: string): number {
  const n = /^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0 && n <= MAX_TIME_SCALE)) {
    throw new Error(`--time-scale must be a number greater than 0 and at most ${MAX_TIME_SCALE}, not ${JSON.stringify(text)}`);
  }
  return n;
}

/** Parse and validate the command line; throws an Error with a clear message on bad input. */
export function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        nodes: { type: 'string' },
        'time-scale': { type: 'string' },
        'proxy-mode': { type: 'string' },
        'dns-port': { type: 'string' },
        'ingress-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n\n${USAGE}`);
  }
  const dir = values['data-dir'] ?? path.join(os.homedir(), '.kubelab');
  if (!dir.trim()) throw new Error('--data-dir must not be empty');
  const out: CliOptions = { dataDir: path.resolve(expandHome(dir)), help: !!values.help };
  if (values.port !== undefined) out.port = wholeNumber('--port', values.port, 65535);
  if (values.nodes !== undefined) out.nodes = wholeNumber('--nodes', values.nodes, MAX_WORKERS);
  if (values['time-scale'] !== undefined) out.timeScale = timeScale(values['time-scale']);
  if (values['proxy-mode'] !== undefined) {
    if (!(PROXY_MODES as readonly string[]).includes(values['proxy-mode'])) throw new Error(`--proxy-mode must be one of ${PROXY_MODES.join(', ')}, not ${JSON.stringify(values['proxy-mode'])}`);
    out.proxyMode = values['proxy-mode'];
  }
  if (values['dns-port'] !== undefined) out.dnsPort = wholeNumber('--dns-port', values['dns-port'], 65535);
  if (values['ingress-port'] !== undefined) out.ingressPort = wholeNumber('--ingress-port', values['ingress-port'], 65535);
  if (values.config !== undefined) {
    if (!values.config.trim()) throw new Error('--config must name a file');
    out.config = path.resolve(expandHome(values.config));
  }
  return out;
}
