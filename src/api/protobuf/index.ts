/**
 * Kubernetes protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`, what kubectl's typed
 * clients send for create deployment/configmap/secret/…, expose, drain's Eviction) decoded into the exact JSON
 * object a JSON client would have sent for the same Go struct.
 *
 * Wire format (apimachinery runtime/serializer/protobuf): the 4 bytes `k8s\0`, then a runtime.Unknown
 * {1: TypeMeta{1: apiVersion, 2: kind}, 2: raw (the object's own message), 3: contentEncoding, 4: contentType}.
 *
 * Errors are StatusError 400 BadRequest worded as kube-apiserver words them. With `expected` (the endpoint's kind)
 * they are wrapped the way its create/update handlers wrap decode errors (transformDecodeError):
 *   `the object provided is unrecognized (must be of type Deployment): provided data does not appear to be a
 *    protobuf message, expected prefix [107 56 115 0] (7b7d)`                  — before the envelope is read;
 *   `Deployment in version "v1" cannot be handled as a Deployment: unexpected EOF` — once its kind is known.
 * Contract: throws nothing but StatusError, for any input; bounded depth and output size.
 */
import { parseApiVersion, type GroupVersionKind } from '../object';
import { StatusError } from '../status';
import { kindMessage } from './descriptor';
import { Budget, decodeMessage, descOf, type RawMessage } from './raw-decode';
import { JsonWriter } from './to-json';
import { ProtoError, WireReader } from './wire';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** The scheme kube-apiserver names in "no kind is registered" errors. */
const SCHEME = 'pkg/api/legacyscheme/scheme.go:30';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];
/** Values one body may decode to (zero-filled structs included); real objects stay far below. */
export const MAX_VALUES = 1_000_000;

export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** True for `application/vnd.kubernetes.protobuf` with or without parameters (case-insensitive type). */
export function isProtobufContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  return ct.split(';')[0].trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

/** apimachinery's summarizeData: the body's first 30 bytes, as text if it looks like JSON, else hex. */
function summarize(data: Uint8Array): string {
  if (data.length === 0) return '<empty>';
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 30));
  const text = data[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return data.length > 30 ? `${text} ...` : text;
}

/** Go's %q for the TypeMeta dump in missing-kind errors (close enough: JSON escaping). */
function typeMetaDump(apiVersion: string, kind: string): string {
  return `runtime.TypeMeta{APIVersion:${JSON.stringify(apiVersion)}, Kind:${JSON.stringify(kind)}}`;
}

class Failure extends Error {
  constructor(
    message: string,
    readonly gvk?: { version: string; kind: string },
  ) {
    super(message);
  }
}

function fail(message: string, gvk?: { version: string; kind: string }): never {
  throw new Failure(message, gvk);
}

function readEnvelope(data: Uint8Array): RawMessage {
  if (data.length === 0) fail('empty data');
  if (data.length < MAGIC.length || MAGIC.some((b, i) => data[i] !== b)) fail(`provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`);
  if (data.length === MAGIC.length) fail('empty body');
  try {
    return decodeMessage(new WireReader(data, MAGIC.length), descOf('@Unknown'), 0, new Budget(MAX_VALUES));
  } catch (e) {
    if (e instanceof ProtoError) fail(e.message);
    throw e;
  }
}

function decode(data: Uint8Array, expected: GroupVersionKind | undefined): DecodedProtobuf {
  const unknown = readEnvelope(data);
  const typeMeta = unknown.values.get(1) as RawMessage | undefined;
  let apiVersion = (typeMeta?.values.get(1) as string | undefined) ?? '';
  let kind = (typeMeta?.values.get(2) as string | undefined) ?? '';
  const sent = { apiVersion, kind };
  // Unknown.GroupVersionKind(): an apiVersion that does not parse (two slashes) gives an empty GVK altogether.
  if (apiVersion.split('/').length > 2) apiVersion = kind = '';
  // copyKindDefaults: the endpoint's kind fills what the envelope leaves empty.
  let { group, version } = parseApiVersion(apiVersion);
  if (expected) {
    if (!kind) kind = expected.kind;
    if (!version && expected.version) ({ group, version } = expected);
  }
  apiVersion = group ? `${group}/${version}` : version;
  const gvk = { version, kind };
  if (!kind) fail(`Object 'Kind' is missing in '${typeMetaDump(sent.apiVersion, sent.kind)}'`, gvk);
  if (!version) fail(`Object 'apiVersion' is missing in '${typeMetaDump(sent.apiVersion, sent.kind)}'`, gvk);
  const name = kindMessage(apiVersion, kind);
  if (!name) fail(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme ${JSON.stringify(SCHEME)}`, gvk);
  const raw = unknown.values.get(2) as Uint8Array | undefined;
  try {
    const budget = new Budget(MAX_VALUES);
    const msg = decodeMessage(new WireReader(raw ?? new Uint8Array(0)), descOf(name), 0, budget);
    const object: Record<string, unknown> = { kind, apiVersion };
    new JsonWriter(budget).fields(msg.desc, msg, object);
    return { apiVersion, kind, object };
  } catch (e) {
    if (e instanceof ProtoError) fail(e.message, gvk);
    throw e;
  }
}

/**
 * Decodes a protobuf request body. `expected` is the kind the endpoint serves (from the URL): it defaults a missing
 * kind/apiVersion in the envelope, as kube-apiserver does, and turns errors into its handler's wording.
 * The object carries `kind` and `apiVersion` first, then the fields in Go struct order.
 */
export function decodeProtobufBody(bytes: Uint8Array, expected?: GroupVersionKind): DecodedProtobuf {
  try {
    return decode(bytes, expected);
  } catch (e) {
    const message = e instanceof Failure ? e.message : `protobuf decoding failed: ${(e as Error).message}`;
    const gvk = e instanceof Failure ? e.gvk : undefined;
    if (!expected) throw StatusError.badRequest(message);
    if (gvk && gvk.kind) throw StatusError.badRequest(`${gvk.kind} in version ${JSON.stringify(gvk.version)} cannot be handled as a ${expected.kind}: ${message}`);
    throw StatusError.badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${message} (${summarize(bytes)})`);
  }
}
