/**
 * Reads Go's runtime type descriptors (the data `reflect` uses) out of a stripped linux/amd64 Go 1.23 ELF binary,
 * such as the kubectl 1.32 the machine ships. It yields every named struct type reachable from the binary's typelinks
 * with, per field: the Go field name, whether it is embedded, its struct tag (json + protobuf) and its Go type.
 *
 * Contract: read-only, deterministic; throws when the binary is not the layout it expects (ELF64, moduledata found
 * by its pclntab pointer, typelinks inside .typelink). Only the ABI parts needed for API types are decoded.
 */
import * as fs from 'node:fs';

export type GoKind =
  | 'bool' | 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'uintptr' | 'float32' | 'float64' | 'complex64' | 'complex128' | 'array' | 'chan' | 'func' | 'interface'
  | 'map' | 'ptr' | 'slice' | 'string' | 'struct' | 'unsafeptr' | 'invalid';

const KINDS: GoKind[] = ['invalid', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64', 'complex64', 'complex128', 'array', 'chan', 'func', 'interface', 'map', 'ptr', 'slice', 'string', 'struct', 'unsafeptr'];

export interface GoField {
  name: string;
  embedded: boolean;
  tag: string;
  type: GoType;
}

export interface GoType {
  addr: bigint;
  kind: GoKind;
  /** Name as reflect prints it (`v1.Pod`, `*v1.Pod`, `[]string`). */
  str: string;
  named: boolean;
  /** Full import path of a named type's package (`k8s.io/api/core/v1`), '' otherwise. */
  pkgPath: string;
  /** Methods of a named type (exported ones included), by name. */
  methods: string[];
  elem?: GoType;
  key?: GoType;
  fields?: GoField[];
}

interface Section { name: string; addr: bigint; off: number; size: number }

export class GoBinary {
  private readonly buf: Buffer;
  private readonly sections = new Map<string, Section>();
  private readonly types: bigint;
  private readonly cache = new Map<bigint, GoType>();
  readonly typelinks: GoType[] = [];

  constructor(file: string) {
    this.buf = fs.readFileSync(file);
    if (this.buf.readUInt32BE(0) !== 0x7f454c46 || this.buf[4] !== 2) throw new Error(`${file}: not an ELF64 file`);
    this.readSections();
    const md = this.findModuledata();
    this.types = this.u64(md + 296n);
    const tl = this.u64(md + 352n);
    const tlLen = Number(this.u64(md + 360n));
    if (tl !== this.section('.typelink').addr) throw new Error('moduledata.typelinks does not point at .typelink');
    const o = this.fileOff(tl);
    for (let i = 0; i < tlLen; i++) this.typelinks.push(this.type(this.types + BigInt(this.buf.readInt32LE(o + i * 4))));
  }

  private section(name: string): Section {
    const s = this.sections.get(name);
    if (!s) throw new Error(`no ${name} section`);
    return s;
  }

  private readSections(): void {
    const b = this.buf;
    const shoff = Number(b.readBigUInt64LE(0x28));
    const entsize = b.readUInt16LE(0x3a);
    const num = b.readUInt16LE(0x3c);
    const strndx = b.readUInt16LE(0x3e);
    const strOff = Number(b.readBigUInt64LE(shoff + strndx * entsize + 0x18));
    for (let i = 0; i < num; i++) {
      const h = shoff + i * entsize;
      const start = strOff + b.readUInt32LE(h);
      const name = b.toString('latin1', start, b.indexOf(0, start));
      const type = b.readUInt32LE(h + 4);
      if (type === 8) continue; // NOBITS (.bss): nothing in the file
      this.sections.set(name, { name, addr: b.readBigUInt64LE(h + 0x10), off: Number(b.readBigUInt64LE(h + 0x18)), size: Number(b.readBigUInt64LE(h + 0x20)) });
    }
  }

  private fileOff(addr: bigint): number {
    for (const s of this.sections.values()) {
      if (s.addr !== 0n && addr >= s.addr && addr < s.addr + BigInt(s.size)) return s.off + Number(addr - s.addr);
    }
    throw new Error(`address 0x${addr.toString(16)} is not in the file`);
  }

  private u64(addr: bigint): bigint {
    return this.buf.readBigUInt64LE(this.fileOff(addr));
  }

  /** runtime.firstmoduledata starts with a pointer to the pclntab header. */
  private findModuledata(): bigint {
    const pcln = this.section('.gopclntab').addr;
    for (const name of ['.noptrdata', '.data']) {
      const s = this.section(name);
      for (let o = 0; o + 8 <= s.size; o += 8) if (this.buf.readBigUInt64LE(s.off + o) === pcln) return s.addr + BigInt(o);
    }
    throw new Error('moduledata not found');
  }

  private varint(o: number): [number, number] {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const c = this.buf[o++];
      v += (c & 0x7f) * 2 ** shift;
      if (!(c & 0x80)) return [v, o];
    }
  }

  /** An abi.Name: flags byte, varint length, bytes, then (flag 2) a varint-length tag. */
  private name(addr: bigint): { name: string; tag: string; embedded: boolean } {
    let o = this.fileOff(addr);
    const flags = this.buf[o++];
    let n: number;
    [n, o] = this.varint(o);
    const name = this.buf.toString('utf8', o, o + n);
    o += n;
    let tag = '';
    if (flags & 2) {
      [n, o] = this.varint(o);
      tag = this.buf.toString('utf8', o, o + n);
    }
    return { name, tag, embedded: (flags & 8) !== 0 };
  }

  private nameOff(off: number): string {
    return off === 0 ? '' : this.name(this.types + BigInt(off)).name;
  }

  type(addr: bigint): GoType {
    const hit = this.cache.get(addr);
    if (hit) return hit;
    const o = this.fileOff(addr);
    const b = this.buf;
    const tflag = b[o + 20];
    const kind = KINDS[b[o + 23] & 0x1f] ?? 'invalid';
    let str = this.nameOff(b.readInt32LE(o + 40));
    if (tflag & 2) str = str.slice(1);
    const t: GoType = { addr, kind, str, named: (tflag & 4) !== 0, pkgPath: '', methods: [] };
    this.cache.set(addr, t);
    let uncommon = 48;
    switch (kind) {
      case 'ptr':
      case 'slice':
        t.elem = this.type(this.u64(addr + 48n));
        uncommon = 56;
        break;
      case 'array':
        t.elem = this.type(this.u64(addr + 48n));
        uncommon = 72;
        break;
      case 'map':
        t.key = this.type(this.u64(addr + 48n));
        t.elem = this.type(this.u64(addr + 56n));
        uncommon = 88;
        break;
      case 'struct': {
        const fields = this.u64(addr + 56n);
        const n = Number(this.u64(addr + 64n));
        t.fields = [];
        for (let i = 0; i < n; i++) {
          const f = fields + BigInt(i * 24);
          const nm = this.name(this.u64(f));
          t.fields.push({ name: nm.name, embedded: nm.embedded, tag: nm.tag, type: this.type(this.u64(f + 8n)) });
        }
        uncommon = 80;
        break;
      }
      case 'interface':
        uncommon = 80;
        break;
      case 'chan':
        uncommon = 64;
        break;
      case 'func':
        uncommon = 56;
        break;
    }
    if (tflag & 1) {
      const u = o + uncommon;
      t.pkgPath = this.nameOff(b.readInt32LE(u));
      const mcount = b.readUInt16LE(u + 4);
      const moff = b.readUInt32LE(u + 8);
      for (let i = 0; i < mcount; i++) t.methods.push(this.nameOff(b.readInt32LE(u + moff + i * 16)));
    }
    return t;
  }

  /** Every named struct type reachable from the typelinks whose package path passes `wanted`, by `pkgPath.Name`. */
  namedStructs(wanted: (pkgPath: string) => boolean): Map<string, GoType> {
    const out = new Map<string, GoType>();
    const seen = new Set<bigint>();
    const stack = [...this.typelinks];
    while (stack.length) {
      const t = stack.pop()!;
      if (seen.has(t.addr)) continue;
      seen.add(t.addr);
      if (t.kind === 'struct' && t.named && wanted(t.pkgPath)) out.set(`${t.pkgPath}.${t.str.slice(t.str.lastIndexOf('.') + 1)}`, t);
      if (t.elem) stack.push(t.elem);
      if (t.key) stack.push(t.key);
      for (const f of t.fields ?? []) stack.push(f.type);
    }
    return out;
  }
}
