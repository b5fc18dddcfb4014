/**
 * The userspace mode's human view (kube-proxy's /rules): one row per frontend of every programmed service port —
 * the service port, what traffic is sent to (`10.96.0.12:80/TCP`, `nodePort 30080/TCP`), the loopback listener it is
 * mapped to (`127.0.0.1:41234`; `<none>` for a protocol the mode does not forward, `<bind failed>` when the listener
 * could not be opened), and the endpoints traffic reaches (`<none>`: connections are closed). Rows are sorted by
 * service port key, then frontend order; columns are padded like kubectl's tables.
 */
import type { FrontendKind } from './frontends';

export interface ListenerRow {
  service: string;
  kind: FrontendKind;
  ip: string;
  port: number;
  protocol: string;
  /** `host:port` of the loopback listener, or a bracketed reason. */
  listener: string;
  endpoints: readonly string[];
  sticky?: number;
}

export interface TableHeader {
  nodeName: string;
  listeners: number;
  connections: number;
}

const frontendText = (r: ListenerRow): string => {
  const where = r.kind === 'nodePort' ? `nodePort ${r.port}` : `${r.ip}:${r.port}`;
  return `${where}/${r.protocol}`;
};

export function renderListenerTable(h: TableHeader, rows: readonly ListenerRow[]): string {
  const head = `# userspace proxy on node ${h.nodeName}: ${h.listeners} listener${h.listeners === 1 ? '' : 's'}, ${h.connections} active connection${h.connections === 1 ? '' : 's'}`;
  const table: string[][] = [['SERVICE PORT', 'FRONTEND', 'LISTENER', 'AFFINITY', 'ENDPOINTS']];
  for (const r of rows) {
    table.push([r.service, frontendText(r), r.listener, r.sticky === undefined ? 'None' : `ClientIP ${r.sticky}s`, r.endpoints.length ? r.endpoints.join(',') : '<none>']);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] + 3))).join(''));
  return `${head}\n${lines.join('\n')}\n`;
}
