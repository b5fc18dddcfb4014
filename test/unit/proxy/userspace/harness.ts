/**
 * Helpers for the userspace mode's tests: ProxyState builders (service ports, endpoints), real backend servers on
 * loopback attached to pod IPs of a PodNetwork (each answers its own name, or records what it receives), raw TCP
 * exchanges, a free-port finder, and a rig (mode + network + port table + three backends, all closed afterwards).
 */
import * as net from 'node:net';
import { FakeClock } from '../../../../src/base/clock';
import { PodNetwork } from '../../../../src/addons/cni/pod-network';
import { HostPorts, clusterKey } from '../../../../src/proxy/userspace/host-ports';
import { UserspaceMode } from '../../../../src/proxy/userspace/userspace-mode';
import type { EndpointInfo, ProxyNode, ProxyState, ServicePortInfo } from '../../../../src/proxy/types';
import { readyEndpoint, servicePort } from '../../../helpers/proxy-state';

export function svc(name: string, o: Partial<ServicePortInfo> = {}): ServicePortInfo {
  return servicePort(o.namespace ?? 'default', name, o.portName ?? '', { type: o.nodePort ? 'NodePort' : 'ClusterIP', ...o });
}

export const ep = (ip: string, o: Partial<EndpointInfo> = {}): EndpointInfo => readyEndpoint(ip, o);

export function state(entries: [ServicePortInfo, EndpointInfo[]][]): ProxyState {
  return { services: new Map(entries.map(([s]) => [s.key, s])), endpoints: new Map(entries.map(([s, e]) => [s.key, e])) };
}

export interface Backend {
  ip: string;
  port: number;
  server: net.Server;
  /** Bytes each connection sent, in order of connections. */
  received: Buffer[][];
  connections: number;
}

/**
 * A real server at pod address `ip:80`: on each connection it writes `<ip>\n` and records what it gets; in `echo`
 * mode it echoes instead and half-closes when the client does.
 */
export async function backend(network: PodNetwork, ip: string, mode: 'name' | 'echo' = 'name', podPort = 80): Promise<Backend> {
  const b: Backend = { ip, port: 0, server: undefined as unknown as net.Server, received: [], connections: 0 };
  b.server = net.createServer({ allowHalfOpen: true }, (s) => {
    b.connections++;
    const chunks: Buffer[] = [];
    b.received.push(chunks);
    s.on('error', () => undefined);
    if (mode === 'name') s.end(`${ip}\n`);
    s.on('data', (d: Buffer) => {
      chunks.push(d);
      if (mode === 'echo') s.write(d);
    });
    s.on('end', () => {
      if (mode === 'echo') s.end();
    });
  });
  await new Promise<void>((resolve) => b.server.listen(0, '127.0.0.1', resolve));
  b.port = (b.server.address() as net.AddressInfo).port;
  network.attach(ip, podPort, () => ({ host: '127.0.0.1', port: b.port }));
  return b;
}

export async function closeAll(servers: { server: net.Server }[]): Promise<void> {
  await Promise.all(servers.map((b) => new Promise<void>((resolve) => b.server.close(() => resolve()))));
}

/** Connect, send `data` (then half-close), and collect everything until the other side closes. */
export function exchange(port: number, data = '', o: { halfClose?: boolean; host?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: o.host ?? '127.0.0.1', port, allowHalfOpen: true });
    let out = '';
    s.on('connect', () => {
      if (data) s.write(data);
      if (o.halfClose ?? true) s.end();
    });
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

/** Resolves how the connection ended: with data, or closed with none. */
export async function nameAt(port: number): Promise<string> {
  return (await exchange(port)).trim();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export const newNetwork = () => new PodNetwork();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll (real time) until check is true. */
export async function until(what: string, check: () => boolean, maxMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > maxMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const node1: ProxyNode = { nodeName: 'node-1', nodeIP: '192.168.49.2', clusterCIDR: '10.244.0.0/16' };
export const node2: ProxyNode = { nodeName: 'node-2', nodeIP: '192.168.49.3', clusterCIDR: '10.244.0.0/16' };

export interface Rig {
  network: PodNetwork;
  ports: HostPorts;
  mode: UserspaceMode;
  clock: FakeClock;
  backends: Backend[];
}

export const withRig = (fn: (r: Rig) => Promise<void>, ips = ['10.244.1.5', '10.244.2.6', '10.244.3.7']) => async () => {
  const network = newNetwork();
  const ports = new HostPorts();
  const clock = new FakeClock();
  const mode = new UserspaceMode(node1, { network, ports, clock, dialTimeoutsMs: [200, 200] });
  const backends = await Promise.all(ips.map((ip) => backend(network, ip)));
  try {
    await fn({ network, ports, mode, clock, backends });
  } finally {
    await mode.dispose();
    await ports.close();
    await closeAll(backends);
  }
};

export const clusterPort = (ports: HostPorts, ip = '10.96.0.10', port = 80) => ports.portOf(clusterKey('TCP', ip, port))!;
