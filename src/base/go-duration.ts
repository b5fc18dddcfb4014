/**
 * Go's time.ParseDuration: `300ms`, `1.5h`, `2h45m`, `-1s`, `0` (units ns, us/µs, ms, s, m, h). Returns
 * milliseconds (fractions kept); throws an Error carrying Go's own message (`time: invalid duration "x"`,
 * `time: missing unit in duration "5"`, `time: unknown unit "d" in duration "1d"`).
 */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

export function parseGoDuration(s: string): number {
  const quoted = JSON.stringify(s);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (!rest) throw new Error(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest) {
    const m = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (!m[0] || m[0] === '.') throw new Error(`time: invalid duration ${quoted}`);
    rest = rest.slice(m[0].length);
    const u = /^[^\d.]+/.exec(rest);
    if (!u) throw new Error(`time: missing unit in duration ${quoted}`);
    const unit = UNIT_MS[u[0]];
    if (unit === undefined) throw new Error(`time: unknown unit ${JSON.stringify(u[0])} in duration ${quoted}`);
    total += Number(m[0].startsWith('.') ? `0${m[0]}` : m[0]) * unit;
    rest = rest.slice(u[0].length);
  }
  return sign * total;
}
