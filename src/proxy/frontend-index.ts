/**
 * The frontends (`PROTO ip:port` a client connects to) a proxy mode has programmed, each with what it leads to,
 * maintained per owner (service port key) so a partial sync replaces only the changed owners' entries.
 *
 * When two service ports claim the same frontend, the one with the smallest key wins, whatever order they were
 * synced in (the iptables render lists KUBE-SERVICES rules in key order, so the first matching rule is that one's;
 * ipvs keeps one virtual server per address). That keeps a partial sync equal to a full one. `total()` is the sum
 * of `weight(winner)` over all frontends, kept up to date incrementally (ipvs: virtual + real servers).
 */

export function frontendKey(protocol: string, ip: string, port: number): string {
  return `${protocol} ${ip}:${port}`;
}

interface Claim<T> {
  owner: string;
  value: T;
}

export class FrontendIndex<T> {
  private readonly byFrontend = new Map<string, Claim<T>[]>();
  private readonly byOwner = new Map<string, readonly (readonly [string, T])[]>();
  private sum = 0;

  constructor(private readonly weight: (value: T) => number = () => 0) {}

  /** Replaces everything `owner` claims by `entries` ([] removes the owner). */
  replace(owner: string, entries: readonly (readonly [string, T])[]): void {
    const old = this.byOwner.get(owner);
    if (old) for (const [frontend] of old) this.unclaim(frontend, owner);
    if (entries.length) this.byOwner.set(owner, entries);
    else this.byOwner.delete(owner);
    for (const [frontend, value] of entries) this.claim(frontend, { owner, value });
  }

  clear(): void {
    this.byFrontend.clear();
    this.byOwner.clear();
    this.sum = 0;
  }

  get(frontend: string): T | undefined {
    return this.byFrontend.get(frontend)?.[0].value;
  }

  total(): number {
    return this.sum;
  }

  /** Every frontend with its winning value (unordered). */
  *winners(): IterableIterator<[string, T]> {
    for (const [frontend, claims] of this.byFrontend) yield [frontend, claims[0].value];
  }

  private claim(frontend: string, c: Claim<T>): void {
    const claims = this.byFrontend.get(frontend);
    if (!claims) {
      this.byFrontend.set(frontend, [c]);
      this.sum += this.weight(c.value);
      return;
    }
    const before = claims[0];
    const at = claims.findIndex((x) => x.owner > c.owner);
    if (at < 0) claims.push(c);
    else claims.splice(at, 0, c);
    if (claims[0] !== before) this.sum += this.weight(c.value) - this.weight(before.value);
  }

  private unclaim(frontend: string, owner: string): void {
    const claims = this.byFrontend.get(frontend);
    if (!claims) return;
    const at = claims.findIndex((x) => x.owner === owner);
    if (at < 0) return;
    const [removed] = claims.splice(at, 1);
    if (at !== 0) return;
    this.sum -= this.weight(removed.value);
    if (claims.length) this.sum += this.weight(claims[0].value);
    else this.byFrontend.delete(frontend);
  }
}
