/**
 * The headless command's flags: parseCli(argv) → CliOptions, or an Error with a clear message (unknown flags add the
 * usage). Flags that change the cluster (`--port`, `--nodes`, `--time-scale`, `--proxy-mode`, `--dns-port`, `--ingress-port`,
 * `--etcd-endpoints`) are present only when given, so they override a `--config` file and leave its values alone
 * otherwise (see src/cli/cluster-config.ts). `--etcd-grpc-port` serves the embedded store's etcd API (not with
 * --etcd-endpoints: a real etcd already serves it); `--etcd-allow-registry-writes` needs `--etcd-grpc-port`.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_TIME_SCALE, MAX_WORKERS } from '../cluster/config/types';
import { PROXY_MODES } from '../cluster/config/networking';
import { etcdEndpointProblem } from '../cluster/config/network';

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
  /** Client URLs of an external etcd cluster (replaces the config's storage; its TLS/auth settings are kept). */
  etcdEndpoints?: string[];
  /** Serve the embedded store's etcd gRPC API on 127.0.0.1:N (0 = a free port). */
  etcdGrpcPort?: number;
  /** Let etcd clients write keys under /registry/ through that port. */
  etcdAllowRegistryWrites?: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [--data-dir DIR] [--config FILE] [--port N] [--nodes N] [--time-scale X]
                 [--proxy-mode MODE] [--dns-port N] [--ingress-port N]
                 [--etcd-endpoints URL,URL,...] [--etcd-grpc-port N [--etcd-allow-registry-writes]]

  --data-dir DIR     where the cluster keeps its state (default ~/.kubelab)
  --config FILE      a ClusterConfig YAML file (apiVersion: kubelab.dev/v1alpha1, kind: ClusterConfig)
  --port N           HTTPS port of the API server on 127.0.0.1 (default 6443; 0 picks a free port)
  --nodes N          number of worker nodes, 0 to ${MAX_WORKERS} (default 3; the control plane is extra)
  --time-scale X     multiplies the simulated delays such as image pulls (default 1; 0.1 is ten times faster)
  --proxy-mode MODE  kube-proxy's mode: iptables (default), ipvs or userspace (real TCP forwarding on loopback)
  --dns-port N       the cluster DNS add-on's port on 127.0.0.1 (default 10053; 0 picks a free port)
  --ingress-port N   the ingress controller's HTTP port on 127.0.0.1 (default 10080; 0 picks a free port)
  --etcd-endpoints URL,URL,...
                     keep the cluster's objects in an external etcd v3 cluster (e.g. http://127.0.0.1:2379)
                     instead of the embedded store; the data directory then holds only the PKI, the kubeconfig
                     and the node list, so several KubeLab control planes can share one etcd
  --etcd-grpc-port N serve the embedded store's etcd v3 gRPC API on 127.0.0.1:N for etcdctl (0 picks a free port;
                     off by default; not with --etcd-endpoints, whose etcd already serves it)
  --etcd-allow-registry-writes
                     let etcd clients write keys under /registry/ through --etcd-grpc-port (read-only otherwise)
  -h, --help         this text

The flags override the values of --config.`;

const expandHome = (p: string) => p.replace(/^~(?=$|\/)/, os.homedir());

function wholeNumber(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new Error(`${flag} must be a whole number from 0 to ${max}, not ${JSON.stringify(text)}`);
  return Number(text);
}

/** --etcd-endpoints URL,URL,…: each an http(s) URL with a host and no path, no duplicates, one scheme. */
function etcdEndpoints(text: string): string[] {
  const list = text.split(',').map((s) => s.trim());
  if (list.some((s) => !s)) throw new Error(`--etcd-endpoints must be a comma-separated list of URLs such as http://127.0.0.1:2379, not ${JSON.stringify(text)}`);
  const seen = new Set<string>();
  for (const s of list) {
    const bad = etcdEndpointProblem(s);
    if (bad) throw new Error(`--etcd-endpoints: ${bad}`);
    if (seen.has(s)) throw new Error(`--etcd-endpoints: ${JSON.stringify(s)} is listed twice`);
    seen.add(s);
  }
  if (new Set(list.map((s) => new URL(s).protocol)).size > 1) throw new Error('--etcd-endpoints: the URLs must all use https or all use http');
  return list;
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
        'etcd-endpoints': { type: 'string' },
        'etcd-grpc-port': { type: 'string' },
        'etcd-allow-registry-writes': { type: 'boolean' },
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
  if (values['etcd-allow-registry-writes']) out.etcdAllowRegistryWrites = true;
  if (values.port !== undefined) out.port = wholeNumber('--port', values.port, 65535);
  if (values.nodes !== undefined) out.nodes = wholeNumber('--nodes', values.nodes, MAX_WORKERS);
  if (values['time-scale'] !== undefined) out.timeScale = timeScale(values['time-scale']);
  if (values['proxy-mode'] !== undefined) {
    if (!(PROXY_MODES as readonly string[]).includes(values['proxy-mode'])) throw new Error(`--proxy-mode must be one of ${PROXY_MODES.join(', ')}, not ${JSON.stringify(values['proxy-mode'])}`);
    out.proxyMode = values['proxy-mode'];
  }
  if (values['dns-port'] !== undefined) out.dnsPort = wholeNumber('--dns-port', values['dns-port'], 65535);
  if (values['ingress-port'] !== undefined) out.ingressPort = wholeNumber('--ingress-port', values['ingress-port'], 65535);
  if (values['etcd-endpoints'] !== undefined) out.etcdEndpoints = etcdEndpoints(values['etcd-endpoints']);
  if (values['etcd-grpc-port'] !== undefined) {
    out.etcdGrpcPort = wholeNumber('--etcd-grpc-port', values['etcd-grpc-port'], 65535);
    if (out.etcdEndpoints) throw new Error('--etcd-grpc-port cannot be combined with --etcd-endpoints: the external etcd already serves its gRPC API at its endpoints');
  }
  if (out.etcdAllowRegistryWrites && out.etcdGrpcPort === undefined) throw new Error('--etcd-allow-registry-writes needs --etcd-grpc-port');
  if (values.config !== undefined) {
    if (!values.config.trim()) throw new Error('--config must name a file');
    out.config = path.resolve(expandHome(values.config));
  }
  return out;
}
