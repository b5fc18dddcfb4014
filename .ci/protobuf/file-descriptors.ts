/**
 * Finds the gzipped FileDescriptorProtos that gogo-protobuf's generated code registers (`proto.RegisterFile(
 * "k8s.io/api/core/v1/generated.proto", fileDescriptor_…)`) inside a Go binary and decodes the parts of them a wire
 * decoder needs: per fully-qualified message, its fields' name, number, label and type.
 *
 * Contract: read-only; returns only descriptors that inflate and parse cleanly as files named `*.proto`.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface ProtoField {
  name: string;
  number: number;
  repeated: boolean;
  /** descriptor.proto FieldDescriptorProto.Type name: double, int32, string, message, bytes … */
  type: string;
  /** For messages: fully qualified, without the leading dot. */
  typeName: string;
}

const TYPES = ['', 'double', 'float', 'int64', 'uint64', 'int32', 'fixed64', 'fixed32', 'bool', 'string', 'group', 'message', 'bytes', 'uint32', 'enum', 'sfixed32', 'sfixed64', 'sint32', 'sint64'];

/** Minimal reader: yields [field number, wire type, value] where value is a number or a byte slice. */
function* fields(b: Buffer): Generator<[number, number, number | Buffer]> {
  let i = 0;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (i >= b.length) throw new Error('truncated');
      const c = b[i++];
      v += (c & 0x7f) * 2 ** shift;
      if (!(c & 0x80)) return v;
    }
  };
  while (i < b.length) {
    const key = varint();
    const wire = key & 7;
    const num = Math.floor(key / 8);
    if (wire === 0) yield [num, wire, varint()];
    else if (wire === 2) {
      const n = varint();
      if (i + n > b.length) throw new Error('truncated');
      yield [num, wire, b.subarray(i, i + n)];
      i += n;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`wire type ${wire}`);
  }
}

function parseMessage(pkg: string, b: Buffer, out: Map<string, ProtoField[]>): void {
  let name = '';
  const fs_: ProtoField[] = [];
  const nested: Buffer[] = [];
  for (const [num, , v] of fields(b)) {
    if (num === 1) name = (v as Buffer).toString('utf8');
    else if (num === 2) {
      const f: ProtoField = { name: '', number: 0, repeated: false, type: '', typeName: '' };
      for (const [n, , x] of fields(v as Buffer)) {
        if (n === 1) f.name = (x as Buffer).toString('utf8');
        else if (n === 3) f.number = x as number;
        else if (n === 4) f.repeated = x === 3;
        else if (n === 5) f.type = TYPES[x as number] ?? `type${String(x)}`;
        else if (n === 6) f.typeName = (x as Buffer).toString('utf8').replace(/^\./, '');
      }
      fs_.push(f);
    } else if (num === 3) nested.push(v as Buffer);
  }
  const full = `${pkg}.${name}`;
  out.set(full, fs_);
  for (const n of nested) parseMessage(full, n, out);
}

/** Every message of every registered generated.proto in the binary, by fully-qualified name. */
export function embeddedMessages(file: string): { files: string[]; messages: Map<string, ProtoField[]> } {
  const buf = fs.readFileSync(file);
  const messages = new Map<string, ProtoField[]>();
  const files: string[] = [];
  const magic = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
  for (let at = buf.indexOf(magic); at >= 0; at = buf.indexOf(magic, at + 1)) {
    let raw: Buffer;
    try {
      raw = zlib.inflateRawSync(buf.subarray(at + 10, at + 10 + 4 * 1024 * 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    try {
      let name = '';
      let pkg = '';
      const msgs: Buffer[] = [];
      for (const [num, wire, v] of fields(raw)) {
        if (num === 1 && wire === 2) name = (v as Buffer).toString('utf8');
        else if (num === 2 && wire === 2) pkg = (v as Buffer).toString('utf8');
        else if (num === 4 && wire === 2) msgs.push(v as Buffer);
      }
      if (!name.endsWith('.proto') || !pkg) continue;
      files.push(name);
      for (const m of msgs) parseMessage(pkg, m, messages);
    } catch {
      continue;
    }
  }
  return { files, messages };
}
