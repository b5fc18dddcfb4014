/**
 * How `iptables-save` prints what kube-proxy writes, for the pieces whose printed form differs from the
 * iptables-restore input (pkg/proxy/iptables/proxier.go writes the latter):
 *
 * - comments: libxtables' xtables_save_string prints a value bare when it is only [A-Za-z0-9_-], otherwise in
 *   double quotes with `"`, `\` and `'` backslash-escaped;
 * - statistic probabilities: kube-proxy writes `%0.10f` of 1/n; the kernel keeps lround(2^31 · p) as a u32, and
 *   iptables-save prints that back with `%.11f` (1/3 → 0.3333333333 → 0.33333333349);
 * - addresses gain their mask (`-d 10.96.0.1` → `-d 10.96.0.1/32`); options are reordered by iptables-save into
 *   `-s -d -p`, matches in order, then the target — the rule builders write that order directly.
 */

const BARE = /^[A-Za-z0-9_-]+$/;

/** One `--comment` value as iptables-save prints it. */
export function saveString(value: string): string {
  if (BARE.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** `-m comment --comment <value>` as printed. */
export function comment(value: string): string {
  return `-m comment --comment ${saveString(value)}`;
}

/** What kube-proxy writes for 1/n: Go's `%0.10f`. */
export function writtenProbability(n: number): string {
  // Go rounds the exact binary value half-to-even; toFixed picks the larger on an exact tie. 1/n is an exact tie at
  // 10 decimals only for n = 2048, where both round to the same kernel value below.
  return (1 / n).toFixed(10);
}

const TWO_31 = 2 ** 31;

/** What iptables-save prints for a written probability (the kernel's u32 printed with `%.11f`, ties to even). */
export function savedProbability(written: string): string {
  const stored = Math.round(TWO_31 * Number(written));
  // stored / 2^31 printed to 11 decimals, exactly: q = floor(stored · 10^11 / 2^31), remainder decides the rounding.
  const scaled = BigInt(stored) * 10n ** 11n;
  const denom = BigInt(TWO_31);
  let q = scaled / denom;
  const twiceRem = (scaled % denom) * 2n;
  if (twiceRem > denom || (twiceRem === denom && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(12, '0');
  return `${digits.slice(0, -11)}.${digits.slice(-11)}`;
}

const probabilityCache: string[] = [];

/** The printed `--probability` of the rule choosing 1 of n remaining endpoints (cached per n, as upstream). */
export function probability(n: number): string {
  let p = probabilityCache[n];
  if (p === undefined) {
    p = savedProbability(writtenProbability(n));
    probabilityCache[n] = p;
  }
  return p;
}
