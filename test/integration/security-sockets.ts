/**
 * The sockets a process has bound, read from Linux's /proc: `/proc/<pid>/fd` gives the socket inodes the process
 * owns, `/proc/<pid>/net/{tcp,tcp6,udp,udp6}` the local address of each. `boundSockets(pid)` returns the TCP sockets in
 * LISTEN state and every bound UDP socket of that process (threads included: they share the fd table), and
 * `isLoopback` says whether an address is 127.0.0.0/8, ::1 or an IPv4-mapped loopback address.
 */
import * as fs from 'node:fs';

export interface BoundSocket {
  proto: 'tcp' | 'udp';
  address: string;
  port: number;
}

const TCP_LISTEN = '0A';

/** /proc's little-endian-per-32-bit-word hex address → text. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  const text = groups.join(':');
  if (text.startsWith('0:0:0:0:0:ffff:')) return `::ffff:${bytes.slice(12).join('.')}`;
  return text === '0:0:0:0:0:0:0:1' ? '::1' : text === '0:0:0:0:0:0:0:0' ? '::' : text;
}

export function socketInodes(pid: number | 'self'): Set<string> {
  const out = new Set<string>();
  const dir = `/proc/${pid}/fd`;
  for (const fd of fs.readdirSync(dir)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`${dir}/${fd}`));
      if (m) out.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

export function boundSockets(pid: number | 'self'): BoundSocket[] {
  const inodes = socketInodes(pid);
  const out: BoundSocket[] = [];
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const proto = table.startsWith('tcp') ? 'tcp' : 'udp';
    let text = '';
    try {
      text = fs.readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9])) continue;
      if (proto === 'tcp' && f[3] !== TCP_LISTEN) continue;
      const [addr, port] = f[1].split(':');
      out.push({ proto, address: decodeAddress(addr), port: parseInt(port, 16) });
    }
  }
  return out;
}

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);
}
