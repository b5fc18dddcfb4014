/**
 * DnsServer: a DNS server on one loopback port, UDP and TCP (RFC 1035 / 7766 length-prefixed messages, several per
 * connection), answering with a Resolver through `respond` (message.ts).
 *
 * Contract:
 * - `listen(port)` binds UDP and TCP on the same port of `host` (default 127.0.0.1); port 0 picks a free port for
 *   both (retrying when the TCP side of a picked port is taken) and resolves to the bound port (`port`).
 * - A message that `respond` drops gets no reply; one that makes the resolver throw gets SERVFAIL (and a log line);
 *   nothing a client sends can stop the server. Idle TCP connections close after `tcpIdleTimeoutMs` (10 s).
 * - `close()` stops both listeners, ends open TCP connections and resolves when everything is closed; idempotent.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { silentLogger, type Logger } from '../../base/logger';
import { respond, type DnsTransportKind, type Resolver } from './message';

export interface DnsServerOptions {
  resolver: Resolver;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  logger?: Logger;
  tcpIdleTimeoutMs?: number;
}

const PICK_ATTEMPTS = 20;

export class DnsServer {
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private readonly conns = new Set<net.Socket>();
  private bound = 0;
  private readonly host: string;
  private readonly logger: Logger;

  constructor(private readonly o: DnsServerOptions) {
    this.host = o.host ?? '127.0.0.1';
    this.logger = o.logger ?? silentLogger;
  }

  /** The bound port (0 before `listen` resolved and after `close`). */
  get port(): number {
    return this.bound;
  }

  async listen(port = 0): Promise<number> {
    if (this.udp) throw new Error('DNS server is already listening');
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(port);
      const p = udp.address().port;
      try {
        this.tcp = await this.listenTcp(p);
        this.udp = udp;
        this.bound = p;
        return p;
      } catch (e) {
        await new Promise<void>((resolve) => udp.close(() => resolve()));
        if (port !== 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= PICK_ATTEMPTS) throw e;
      }
    }
  }

  async close(): Promise<void> {
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    this.bound = 0;
    for (const c of this.conns) c.destroy();
    this.conns.clear();
    await Promise.all([
      udp ? new Promise<void>((resolve) => udp.close(() => resolve())) : undefined,
      tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : undefined,
    ]);
  }

  /** respond(), with a resolver failure turned into SERVFAIL. */
  private answer(msg: Buffer, kind: DnsTransportKind): Buffer | undefined {
    try {
      return respond(msg, this.o.resolver, kind);
    } catch (e) {
      this.logger.error(`answering a DNS query failed: ${(e as Error).message}`);
      if (msg.length < 12 || msg.readUInt16BE(2) & 0x8000) return undefined;
      const out = Buffer.alloc(12);
      out.writeUInt16BE(msg.readUInt16BE(0), 0);
      out.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & 0x7900) | 2, 2);
      return out;
    }
  }

  private bindUdp(port: number): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
      const s = dgram.createSocket(net.isIPv6(this.host) ? 'udp6' : 'udp4');
      const onError = (e: Error) => {
        s.close();
        reject(e);
      };
      s.once('error', onError);
      s.bind(port, this.host, () => {
        s.off('error', onError);
        s.on('error', (e) => this.logger.warn(`DNS UDP socket: ${e.message}`));
        s.on('message', (msg, rinfo) => {
          const out = this.answer(msg, 'udp');
          if (out) s.send(out, rinfo.port, rinfo.address, (err) => err && this.logger.debug(`DNS UDP reply: ${err.message}`));
        });
        resolve(s);
      });
    });
  }

  private listenTcp(port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer((c) => this.serveConnection(c));
      srv.once('error', reject);
      srv.listen(port, this.host, () => {
        srv.off('error', reject);
        srv.on('error', (e) => this.logger.warn(`DNS TCP listener: ${e.message}`));
        resolve(srv);
      });
    });
  }

  private serveConnection(c: net.Socket): void {
    this.conns.add(c);
    c.setTimeout(this.o.tcpIdleTimeoutMs ?? 10_000, () => c.destroy());
    c.on('error', () => c.destroy());
    c.on('close', () => this.conns.delete(c));
    let buf = Buffer.alloc(0);
    c.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const out = this.answer(msg, 'tcp');
        if (!out) continue;
        const framed = Buffer.alloc(2 + out.length);
        framed.writeUInt16BE(out.length, 0);
        out.copy(framed, 2);
        c.write(framed);
      }
    });
  }
}
