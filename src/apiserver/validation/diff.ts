/**
 * A compact stand-in for the `cmp.Diff` text upstream appends to "… is immutable" / "pod updates may not change …"
 * messages: one `-`/`+` line pair per changed leaf, under the Go type name, in cmp.Diff's indentation style. The
 * header line of those messages is exact; this diff body is ours (cmp.Diff prints Go structs).
 */
import { isPlainObject } from '../../api/object';
import { isZero } from './access';

function leaves(v: unknown, path: string, out: Map<string, unknown>): void {
  if (isPlainObject(v) && Object.keys(v).length) {
    for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(v) && v.length) {
    v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  } else if (!isZero(v)) out.set(path, v);
}

export function specDiff(typeName: string, oldV: unknown, newV: unknown): string {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  leaves(oldV, '', a);
  leaves(newV, '', b);
  const lines = [`  ${typeName}{`];
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const p of paths) {
    const x = a.get(p);
    const y = b.get(p);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (x !== undefined) lines.push(`- \t${p}: ${JSON.stringify(x)},`);
    if (y !== undefined) lines.push(`+ \t${p}: ${JSON.stringify(y)},`);
  }
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}
