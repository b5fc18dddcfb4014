/**
 * One DNS request message in, one response message out (or nothing), with the `dns-packet` codec. Pure.
 *
 * Contract:
 * - Shorter than a header, or a response (QR set): dropped (undefined) — answering those could start a loop.
 * - Opcode other than QUERY: NOTIMP. Undecodable, or not exactly one question: FORMERR (header only, id kept).
 * - Class other than IN: REFUSED. EDNS version other than 0: BADVERS (extended rcode 16).
 * - Otherwise the resolver answers; the response copies id, opcode, RD and the question, sets QR and AA (when the
 *   answer is authoritative), never RA (like CoreDNS serving the cluster zone: no recursion).
 * - EDNS0: when the request has an OPT record the response has one too, advertising the request's UDP size
 *   (at least 512, at most 4096). UDP responses larger than that size (512 without EDNS) lose their additional
 *   records first, then keep only the answers that fit (no authority) and get the TC bit (dig retries over TCP).
 */
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Packet, Question } from 'dns-packet';
import type { DnsAnswer, Rcode } from './answers';

export interface Resolver {
  resolve(name: string, type: string): DnsAnswer;
}

export type DnsTransportKind = 'udp' | 'tcp';

const RCODE: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };
const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const BADVERS = 16;
const MAX_UDP = 4096;
const MIN_UDP = 512;
const MAX_TCP = 65535;

/** A header-only reply. */
function bare(id: number, flags: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(flags, 2);
  return b;
}

/** The response to `req`, or undefined when it must be dropped. */
export function respond(req: Buffer, resolver: Resolver, transport: DnsTransportKind): Buffer | undefined {
  if (req.length < 12) return undefined;
  const id = req.readUInt16BE(0);
  const reqFlags = req.readUInt16BE(2);
  if (reqFlags & QR) return undefined;
  const opcode = (reqFlags >> 11) & 0xf;
  const base = QR | (opcode << 11) | (reqFlags & RD);
  if (opcode !== 0) return bare(id, base | RCODE.NOTIMP);
  let msg: DecodedPacket;
  try {
    msg = packet.decode(req);
  } catch {
    return bare(id, base | RCODE.FORMERR);
  }
  const questions = msg.questions ?? [];
  if (questions.length !== 1) return bare(id, base | RCODE.FORMERR);
  const q = questions[0]!;
  const opt = (msg.additionals ?? []).find((a): a is OptAnswer => a.type === 'OPT');
  const udpSize = opt ? Math.min(MAX_UDP, Math.max(MIN_UDP, opt.udpPayloadSize)) : MIN_UDP;
  const limit = transport === 'tcp' ? MAX_TCP : udpSize;
  const respOpt = (extendedRcode = 0): OptAnswer[] =>
    opt ? [{ type: 'OPT', name: '.', udpPayloadSize: udpSize, extendedRcode, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  if (opt && opt.ednsVersion !== 0) {
    return encode({ id, flags: base | (BADVERS & 0xf), questions: [q], answers: [], authorities: [], additionals: respOpt(BADVERS >> 4) }, limit);
  }
  const answer: DnsAnswer = (q.class ?? 'IN') === 'IN' ? resolver.resolve(q.name, q.type) : { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additionals: [] };
  const flags = base | (answer.authoritative ? AA : 0) | RCODE[answer.rcode];
  return encode({ id, flags, questions: [q], answers: answer.answers, authorities: answer.authority, additionals: [...answer.additionals, ...respOpt()] }, limit);
}

interface Parts {
  id: number;
  flags: number;
  questions: Question[];
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

function toPacket(p: Parts): Packet {
  // dns-packet takes QR from `type`, the other header bits (opcode, AA, TC, RD, rcode) from `flags`.
  return { type: 'response', id: p.id, flags: p.flags & 0x7fff, questions: p.questions, answers: p.answers, authorities: p.authorities, additionals: p.additionals };
}

/** Encodes `p`; if it exceeds `limit` bytes, without additional records, then with the most answers that fit and TC. */
function encode(p: Parts, limit: number): Buffer {
  const full = packet.encode(toPacket(p));
  if (full.length <= limit) return full;
  const cur: Parts = { ...p, additionals: p.additionals.filter((a) => a.type === 'OPT') };
  const noExtra = packet.encode(toPacket(cur));
  if (noExtra.length <= limit) return noExtra;
  const truncated = (k: number): Buffer => packet.encode(toPacket({ ...cur, flags: cur.flags | TC, answers: cur.answers.slice(0, k), authorities: [] }));
  let lo = 0;
  let hi = cur.answers.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (truncated(mid).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  return truncated(lo);
}
