/**
 * Small value helpers shared by the printers, each mirroring a printers.go helper: container name/image cells
 * (`layoutContainerCells`), `net.JoinHostPort`, the "a,b,c + N more..." list form, access-mode abbreviations
 * (`GetAccessModesAsString`), `printBoolPtr`, and defensive readers for possibly malformed objects.
 */

/** A string field or "" (Go's zero value). */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** An integer field or 0 (Go's zero value). */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** An array field or an empty array. */
export function arr<T = unknown>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** Number of keys of a map field (Go's `len(map)`). */
export function mapLen(v: unknown): number {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v).length : 0;
}

/** layoutContainerCells: container names and images, each joined by ",". */
export function containerCells(containers: unknown): [string, string] {
  let names = '';
  let images = '';
  const list = arr<{ name?: unknown; image?: unknown }>(containers);
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (i > 0) {
      names += ',';
      images += ',';
    }
    names += str(c?.name);
    images += str(c?.image);
  }
  return [names, images];
}

/** net.JoinHostPort: brackets around hosts that contain a colon (IPv6). */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** listWithMoreString: "a,b,c + 2 more...", "<unset>" when empty. */
export function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, duplicates removed. */
export function accessModes(modes: unknown): string {
  const set = new Set(arr(modes));
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** printBoolPtr: "True", "False" or "<unset>". */
export function boolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

export function firstNonEmpty(...values: string[]): string {
  for (const v of values) if (v.length > 0) return v;
  return '';
}
