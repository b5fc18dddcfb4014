/**
 * The IPVS table as `ipvsadm -Ln` prints it (ipvsadm.c: print_title / print_service_entry): a version line, two
 * title lines, then per virtual server `PROTO  ip:port scheduler[ persistent N]` and its destinations as
 * `  -> %-28s %-7s %-6d %-10u %-10u` (remote, forward method, weight, active and inactive connections — the padding
 * leaves trailing spaces, as the real tool does). ipvsadm sorts services by protocol number (TCP 6, UDP 17,
 * SCTP 132), then address, then port, and destinations by address then port; addresses compare numerically here
 * (ipvsadm's own comparator subtracts unsigned addresses into an int, which misorders addresses 2^31 apart).
 * Connection counters are always 0 in this model.
 */
import type { Protocol } from '../types';
import type { VirtualServer } from './virtual-servers';

const PROTOCOL_NUMBER: Record<Protocol, number> = { TCP: 6, UDP: 17, SCTP: 132 };

const HEADER =
  'IP Virtual Server version 1.2.1 (size=4096)\n' +
  'Prot LocalAddress:Port Scheduler Flags\n' +
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';

/** A valid dotted-quad address (or `a.b.c.d:port`, the port ignored) as an unsigned number, without allocating. */
function ipNumber(text: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + octet;
      octet = 0;
    } else if (c === 58) break;
    else octet = octet * 10 + (c - 48);
  }
  return n * 256 + octet;
}

const portOf = (ipPort: string): number => Number(ipPort.slice(ipPort.lastIndexOf(':') + 1));

function sortDestinations(reals: readonly string[]): readonly string[] {
  if (reals.length < 2) return reals;
  return reals
    .map((r) => ({ r, ip: ipNumber(r), port: portOf(r) }))
    .sort((a, b) => a.ip - b.ip || a.port - b.port)
    .map((d) => d.r);
}

// "Masq", weight 1 and two zero counters, padded as `%-7s %-6d %-10u %-10u`.
const DEST_TAIL = ` ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}\n`;

export function destinationLine(remote: string): string {
  return `  -> ${remote.padEnd(28)}${DEST_TAIL}`;
}

export function virtualServerLine(v: VirtualServer): string {
  const flags = v.persistent !== undefined ? ` persistent ${v.persistent}` : '';
  return `${v.protocol}  ${v.ip}:${v.port} ${v.scheduler}${flags}\n`;
}

export function renderIpvsadm(servers: Iterable<VirtualServer>): string {
  const decorated = [...servers].map((v) => ({ v, proto: PROTOCOL_NUMBER[v.protocol], ip: ipNumber(v.ip) }));
  decorated.sort((a, b) => a.proto - b.proto || a.ip - b.ip || a.v.port - b.v.port);
  const parts: string[] = [HEADER];
  for (const { v } of decorated) {
    parts.push(virtualServerLine(v));
    for (const r of sortDestinations(v.reals)) parts.push(destinationLine(r));
  }
  return parts.join('');
}
