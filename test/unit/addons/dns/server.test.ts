/**
 * DnsServer over real UDP and TCP sockets on 127.0.0.1, with dns-packet as the client: answers, header flags,
 * TCP framing (pipelined and split messages), truncation without EDNS and EDNS0 echo, malformed input (dropped or
 * FORMERR/NOTIMP/REFUSED/BADVERS, never a crash), a throwing resolver (SERVFAIL), and the listen/close lifecycle.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as packet from 'dns-packet';
import fc from 'fast-check';
import { DnsServer, respond, type Resolver } from '../../../../src/addons/dns';
import { frame, query, tcp, udp } from './dns-client';
import { fixture, rr, slice, svc } from './fixtures';

const records = fixture();
// A headless Service with 60 endpoints: its A answer (60 × 16 bytes + header) does not fit in 512 bytes.
records.setService(svc('default', 'big', { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] }));
records.setEndpointSlice(slice('default', 'big-1', 'big', Array.from({ length: 60 }, (_, i) => ({ ip: `10.244.3.${i + 1}` }))));

describe('DnsServer', () => {
  const server = new DnsServer({ resolver: records });
  let port = 0;
  before(async () => {
    port = await server.listen(0);
  });
  after(() => server.close());

  it('reports the bound port and answers over UDP with id, question, QR AA RD and no RA', async () => {
    assert.ok(port > 0 && server.port === port);
    const res = packet.decode((await udp(port, query('web-0.web.default.svc.cluster.local', 'A', { id: 777 })))!);
    assert.equal(res.id, 777);
    assert.equal(res.type, 'response');
    assert.deepEqual([res.flag_qr, res.flag_aa, res.flag_rd, res.flag_ra, res.flag_tc], [true, true, true, false, false]);
    assert.equal((res as unknown as { rcode: string }).rcode, 'NOERROR');
    assert.deepEqual(res.questions, [{ name: 'web-0.web.default.svc.cluster.local', type: 'A', class: 'IN' }]);
    assert.deepEqual(res.answers!.map(rr), ['web-0.web.default.svc.cluster.local. 30 IN A 10.244.1.5']);
  });

  it('answers NXDOMAIN with the SOA, and REFUSED (not authoritative) outside the cluster zones', async () => {
    const nx = packet.decode((await udp(port, query('nope.default.svc.cluster.local', 'A')))!);
    assert.equal((nx as unknown as { rcode: string }).rcode, 'NXDOMAIN');
    assert.equal(nx.authorities![0]?.type, 'SOA');
    const out = packet.decode((await udp(port, query('example.com', 'A')))!);
    assert.equal((out as unknown as { rcode: string }).rcode, 'REFUSED');
    assert.equal(out.flag_aa, false);
  });

  it('serves TCP: several messages on one connection, pipelined in one write or split across writes', async () => {
    const a = query('svc1.testns.svc.cluster.local', 'A', { id: 1 });
    const b = query('_http._tcp.web.default.svc.cluster.local', 'SRV', { id: 2 });
    const c = frame(query('cluster.local', 'SOA', { id: 3 }));
    const replies = await tcp(port, [Buffer.concat([frame(a), frame(b)]), c.subarray(0, 1), c.subarray(1, 9), c.subarray(9)], 3);
    const dec = replies.map((r) => packet.decode(r));
    assert.deepEqual(dec.map((d) => d.id), [1, 2, 3]);
    assert.deepEqual(dec[0]!.answers!.map(rr), ['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1']);
    assert.equal(dec[1]!.answers!.length, 2);
    assert.equal(dec[1]!.additionals!.length, 2);
    assert.equal(dec[2]!.answers![0]?.type, 'SOA');
  });

  it('truncates UDP answers over 512 bytes without EDNS (TC), sends them whole with EDNS0 (OPT echoed) and over TCP', async () => {
    const q = 'big.default.svc.cluster.local';
    const small = (await udp(port, query(q, 'A')))!;
    assert.ok(small.length <= 512, `${small.length} bytes`);
    const s = packet.decode(small);
    assert.equal(s.flag_tc, true);
    assert.ok(s.answers!.length > 0 && s.answers!.length < 60);
    const large = packet.decode((await udp(port, query(q, 'A', { edns: 4096 })))!);
    assert.equal(large.flag_tc, false);
    assert.equal(large.answers!.length, 60);
    const opt = large.additionals!.find((x) => x.type === 'OPT') as packet.OptAnswer | undefined;
    assert.equal(opt?.udpPayloadSize, 4096);
    const [viaTcp] = await tcp(port, [frame(query(q, 'A'))], 1);
    const t = packet.decode(viaTcp!);
    assert.equal(t.flag_tc, false);
    assert.equal(t.answers!.length, 60);
    assert.equal(t.additionals!.length, 0, 'no OPT when the query had none');
  });

  it('drops runts and responses, and keeps serving', async () => {
    assert.equal(await udp(port, Buffer.from([1, 2, 3]), 200), undefined);
    const response = query('svc1.testns.svc.cluster.local', 'A');
    response.writeUInt16BE(response.readUInt16BE(2) | 0x8000, 2);
    assert.equal(await udp(port, response, 200), undefined);
    assert.ok(await udp(port, query('svc1.testns.svc.cluster.local', 'A')));
  });

  it('answers FORMERR, NOTIMP, REFUSED and BADVERS as the request deserves', async () => {
    const rcodeOf = (b: Buffer | undefined) => b!.readUInt16BE(2) & 0xf;
    // A header announcing a question that is not there.
    const hdr = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    const formerr = await udp(port, hdr);
    assert.equal(formerr!.readUInt16BE(0), 0x1234);
    assert.equal(rcodeOf(formerr), 1);
    assert.equal(formerr!.readUInt16BE(2) & 0x8100, 0x8100, 'QR and the copied RD');
    // Two questions.
    const two = packet.encode({ type: 'query', id: 9, questions: [{ name: 'a.cluster.local', type: 'A' }, { name: 'b.cluster.local', type: 'A' }] });
    assert.equal(rcodeOf(await udp(port, two)), 1);
    // Opcode STATUS (2).
    const status = query('svc1.testns.svc.cluster.local', 'A');
    status.writeUInt16BE(status.readUInt16BE(2) | (2 << 11), 2);
    const notimp = await udp(port, status);
    assert.equal(rcodeOf(notimp), 4);
    assert.equal((notimp!.readUInt16BE(2) >> 11) & 0xf, 2, 'opcode copied');
    // Class CHAOS.
    const chaos = packet.encode({ type: 'query', id: 5, questions: [{ name: 'version.bind', type: 'TXT', class: 'CH' }] });
    assert.equal(rcodeOf(await udp(port, chaos)), 5);
    // EDNS version 1.
    const v1 = packet.encode({
      type: 'query',
      id: 6,
      questions: [{ name: 'svc1.testns.svc.cluster.local', type: 'A' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 1, flags: 0, flag_do: false, options: [] }],
    });
    const badvers = packet.decode((await udp(port, v1))!);
    assert.equal((badvers as unknown as { rcode: string }).rcode, 'NOERROR');
    assert.equal((badvers.additionals![0] as packet.OptAnswer).extendedRcode, 1, 'BADVERS = 16 = extended 1, header 0');
    assert.equal(badvers.answers!.length, 0);
  });

  it('ignores a TCP frame it cannot use and answers the next one on the same connection', async () => {
    const [reply] = await tcp(port, [Buffer.concat([frame(Buffer.from([0xff, 0xff, 0xff])), frame(query('svc1.testns.svc.cluster.local', 'A', { id: 31 }))])], 1);
    assert.equal(packet.decode(reply!).id, 31);
  });
});

describe('respond (the message layer)', () => {
  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, overTcp) => {
        const out = respond(Buffer.from(bytes), records, overTcp ? 'tcp' : 'udp');
        assert.ok(out === undefined || out.length >= 12);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the header well-formed for mutated real queries', () => {
    const base = query('_http._tcp.web.default.svc.cluster.local', 'SRV', { edns: 1232 });
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), (i, v) => {
        const m = Buffer.from(base);
        m[i] = v;
        const out = respond(m, records, 'udp');
        if (out) assert.equal(out.readUInt16BE(0), m.readUInt16BE(0), 'id echoed');
      }),
      { numRuns: 500 },
    );
  });
});

describe('DnsServer failures and lifecycle', () => {
  it('answers SERVFAIL when the resolver throws, and keeps going', async () => {
    let fail = true;
    const resolver: Resolver = {
      resolve: (n, t) => {
        if (fail) throw new Error('boom');
        return records.resolve(n, t);
      },
    };
    const s = new DnsServer({ resolver });
    const p = await s.listen(0);
    try {
      const b = await udp(p, query('svc1.testns.svc.cluster.local', 'A', { id: 99 }));
      assert.equal(b!.readUInt16BE(0), 99);
      assert.equal(b!.readUInt16BE(2) & 0xf, 2);
      fail = false;
      assert.equal(packet.decode((await udp(p, query('svc1.testns.svc.cluster.local', 'A')))!).answers!.length, 1);
    } finally {
      await s.close();
    }
  });

  it('refuses a port that is taken, closes open TCP connections, and frees the port on close', async () => {
    const a = new DnsServer({ resolver: records });
    const p = await a.listen(0);
    const b = new DnsServer({ resolver: records });
    await assert.rejects(b.listen(p), /EADDRINUSE/);
    const c = net.connect(p, '127.0.0.1');
    await new Promise((r) => c.once('connect', r));
    const closed = new Promise((r) => c.once('close', r));
    await a.close();
    await closed;
    assert.equal(a.port, 0);
    await a.close();
    const again = new DnsServer({ resolver: records });
    assert.equal(await again.listen(p), p);
    await again.close();
  });
});
