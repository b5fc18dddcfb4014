/**
 * `metadata.managedFields` on the wire ↔ the managers' field sets, as apimachinery's managedfields package does it.
 *
 * A manager is identified by the JSON of its entry without fields and time (`{"manager":"kubectl","operation":"Apply"}`;
 * Update entries keep their apiVersion, subresource entries their subresource), so the same name can own fields as
 * an applier, as an updater per version, and per subresource. Entries are written sorted by operation (Apply before
 * Update), then time, manager, apiVersion and subresource; empty sets are never written; no entries → no field.
 * Decoding rejects entries upstream rejects (wrong operation, empty apiVersion, missing/unknown fieldsType, bad
 * FieldsV1) with upstream's wording; callers decide whether that is an error or a fallback. Callers that may share
 * the decoded FieldsV1 objects say so, and entries whose set ends up unchanged are then written with the very object
 * they came from (when it is the canonical encoding) instead of being encoded again.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import type { FieldSet } from './field-set';
import { decodeFieldsV1, setToFieldsV1 } from './fields-v1';
import type { Managers } from './updater';
import { compareStrings, goJson, isMap } from './values';

export interface ManagerInfo {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  subresource?: string;
}

export interface Managed {
  fields: Managers;
  /** RFC 3339 time of each manager's last change, by identifier. */
  times: Map<string, string>;
  /**
   * FieldsV1 objects that may be written as they are for a set (the canonical encoding it was decoded from, which the
   * caller allows sharing); encodeManagedFields uses them instead of encoding those sets again.
   */
  encoded?: Map<FieldSet, FieldsV1>;
}

type FieldsV1 = NonNullable<ManagedFieldsEntry['fieldsV1']>;

/**
 * Which decoded FieldsV1 objects a result may share: `all` (they belong to the caller's object, handed over), `frozen`
 * (only deep-frozen ones, which can never change), or none (the default).
 */
export type ShareFieldsV1 = 'all' | 'frozen' | undefined;

export const emptyManaged = (): Managed => ({ fields: new Map(), times: new Map() });

/** The manager identifier upstream builds (Go's json.Marshal of the entry without fieldsType/fieldsV1/time). */
export function managerIdentifier(m: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  const parts: string[] = [];
  if (m.manager) parts.push(`"manager":${goJson(m.manager)}`);
  if (m.operation) parts.push(`"operation":${goJson(m.operation)}`);
  if (m.apiVersion && m.operation !== 'Apply') parts.push(`"apiVersion":${goJson(m.apiVersion)}`);
  if (m.subresource) parts.push(`"subresource":${goJson(m.subresource)}`);
  return `{${parts.join(',')}}`;
}

const parsedIds = new Map<string, ManagerInfo | undefined>();
const PARSED_IDS_MAX = 4096;

/** The fields of an identifier (undefined when it is not a JSON object); results are cached and frozen. */
export function parseManagerIdentifier(id: string): ManagerInfo | undefined {
  if (parsedIds.has(id)) return parsedIds.get(id);
  const info = parseIdentifier(id);
  if (parsedIds.size >= PARSED_IDS_MAX) parsedIds.clear();
  parsedIds.set(id, info && Object.freeze(info));
  return info;
}

function parseIdentifier(id: string): ManagerInfo | undefined {
  try {
    const o = JSON.parse(id) as Record<string, unknown>;
    if (!isMap(o)) return undefined;
    return {
      manager: typeof o.manager === 'string' ? o.manager : '',
      operation: o.operation === 'Apply' ? 'Apply' : 'Update',
      ...(typeof o.apiVersion === 'string' ? { apiVersion: o.apiVersion } : {}),
      ...(typeof o.subresource === 'string' && o.subresource ? { subresource: o.subresource } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Upstream's isResetManagedFields: `[]` or `[{}]` asks to drop all managed fields. */
export function isResetManagedFields(mf: unknown): boolean {
  if (!Array.isArray(mf)) return false;
  if (mf.length === 0) return true;
  if (mf.length !== 1 || !isMap(mf[0])) return false;
  return Object.values(mf[0]).every((v) => v === undefined || v === null || v === '');
}

/**
 * Decodes entries; throws an Error worded as upstream's DecodeManagedFields. With `share`, canonical FieldsV1 objects
 * are kept in `encoded` (see Managed) so that unchanged entries are not encoded again.
 */
export function decodeManagedFields(entries: unknown, share?: ShareFieldsV1): Managed {
  const out = emptyManaged();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = (isMap(raw) ? raw : {}) as ManagedFieldsEntry & Record<string, unknown>;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier(e);
    let decoded;
    try {
      decoded = decodeFieldsV1(e.fieldsV1);
    } catch (err) {
      throw new Error(`error decoding versioned set from ${JSON.stringify(raw)}: error decoding set: ${(err as Error).message}`);
    }
    const { set } = decoded;
    out.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    if (typeof e.time === 'string' && e.time) out.times.set(id, e.time);
    else out.times.delete(id);
    if (share && decoded.canonical && (share === 'all' || decoded.frozen)) (out.encoded ??= new Map()).set(set, e.fieldsV1!);
  });
  return out;
}

const seconds = (t: string | undefined): number => {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
};

/** Encodes the managers back into entries (undefined when there are none). */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  const entries: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.fields) {
    if (vs.set.isEmpty()) continue;
    const info = parseManagerIdentifier(id) ?? { manager: '', operation: 'Update' };
    const e: ManagedFieldsEntry = {};
    if (info.manager) e.manager = info.manager;
    e.operation = vs.applied ? 'Apply' : info.operation;
    if (vs.apiVersion) e.apiVersion = vs.apiVersion;
    const time = managed.times.get(id);
    if (time) e.time = time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = managed.encoded?.get(vs.set) ?? setToFieldsV1(vs.set);
    if (info.subresource) e.subresource = info.subresource;
    entries.push(e);
  }
  if (entries.length === 0) return undefined;
  return entries.sort(
    (p, q) =>
      compareStrings(p.operation ?? '', q.operation ?? '') ||
      seconds(p.time) - seconds(q.time) ||
      compareStrings(p.manager ?? '', q.manager ?? '') ||
      compareStrings(p.apiVersion ?? '', q.apiVersion ?? '') ||
      compareStrings(p.subresource ?? '', q.subresource ?? ''),
  );
}

/** Upstream's cap: at most 10 Update managers; the oldest are merged into per-version "ancient-changes" buckets. */
export function capUpdateManagers(managed: Managed, max = 10): Managed {
  const updaters = [...managed.fields.entries()].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return managed;
  updaters.sort((a, b) => seconds(managed.times.get(a)) - seconds(managed.times.get(b)) || compareStrings(a, b));
  const fields = new Map(managed.fields);
  const times = new Map(managed.times);
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i]!;
    const vs = fields.get(id)!;
    const bucket = managerIdentifier({ manager: 'ancient-changes', operation: 'Update', apiVersion: vs.apiVersion });
    const first = firstOfVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!fields.has(bucket)) {
      fields.set(bucket, fields.get(first)!);
      fields.delete(first);
    }
    fields.set(bucket, { set: vs.set.union(fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
    fields.delete(id);
    length--;
    const t = times.get(id);
    if (t) times.set(bucket, t);
    else times.delete(bucket);
  }
  return { fields, times, ...(managed.encoded ? { encoded: managed.encoded } : {}) };
}
