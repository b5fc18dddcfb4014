/**
 * The userspace proxier's load balancer (upstream pkg/proxy/userspace LoadBalancerRR), exported for reuse (the
 * ingress controller balances the same way): per key (a service port, or any name the caller chooses) a list of
 * endpoints (`ip:port`) served round-robin, with optional ClientIP session affinity.
 *
 * Contract (upstream semantics):
 * - `update(key, endpoints, stickySeconds)` sets the key's endpoints. When the set is unchanged the order and the
 *   round-robin position are kept; when it changed the list is shuffled (injected `random`), the position reset to 0
 *   and the affinity records of endpoints that are gone dropped. `stickySeconds` undefined turns affinity off (and
 *   forgets every record); a number turns ClientIP affinity on with that timeout (0 → upstream's default 10800).
 * - `next(key, clientIP, reset)` answers the endpoint for a new connection, or undefined when the key is unknown or
 *   has no endpoints. With affinity and `reset` false, a client whose record was used less than the timeout ago (whole
 *   seconds, as upstream truncates) gets the same endpoint and the record's time is refreshed; otherwise the next
 *   endpoint in round-robin order is taken and (with affinity) recorded for the client. `reset` true (a dial to the
 *   sticky endpoint failed) skips the record and overwrites it.
 * - `cleanupStaleSessions()` forgets the records whose timeout has passed (upstream does it on every sync).
 * Time comes from the injected Clock only.
 */
import { systemClock, type Clock } from '../../base/clock';
import { DEFAULT_STICKY_SECONDS } from '../types';

/** Upstream v1.DefaultClientIPServiceAffinitySeconds. */
export { DEFAULT_STICKY_SECONDS };

export interface LoadBalancerOptions {
  clock?: Clock;
  /** A number in [0, 1) (default Math.random), for the shuffle on endpoint changes. */
  random?: () => number;
}

interface Affinity {
  endpoint: string;
  lastUsed: number;
}

interface BalancerState {
  endpoints: string[];
  index: number;
  /** ClientIP affinity timeout in seconds; undefined: affinity None. */
  stickySeconds?: number;
  affinity: Map<string, Affinity>;
}

export class LoadBalancer {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly services = new Map<string, BalancerState>();

  constructor(o: LoadBalancerOptions = {}) {
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? Math.random;
  }

  update(key: string, endpoints: readonly string[], stickySeconds?: number): void {
    const unique = [...new Set(endpoints)];
    let state = this.services.get(key);
    if (!state) {
      state = { endpoints: [], index: 0, affinity: new Map() };
      this.services.set(key, state);
    }
    const sticky = stickySeconds === undefined ? undefined : stickySeconds > 0 ? stickySeconds : DEFAULT_STICKY_SECONDS;
    if (sticky === undefined) state.affinity.clear();
    state.stickySeconds = sticky;
    if (sameSet(state.endpoints, unique)) return;
    const next = new Set(unique);
    for (const [ip, a] of state.affinity) if (!next.has(a.endpoint)) state.affinity.delete(ip);
    state.endpoints = this.shuffle(unique);
    state.index = 0;
  }

  delete(key: string): void {
    this.services.delete(key);
  }

  has(key: string): boolean {
    return this.services.has(key);
  }

  keys(): string[] {
    return [...this.services.keys()];
  }

  /** The key's endpoints, sorted (undefined when the key is unknown). */
  endpoints(key: string): string[] | undefined {
    const s = this.services.get(key);
    return s && [...s.endpoints].sort();
  }

  /** The ClientIP affinity timeout of the key (seconds), undefined when affinity is off or the key unknown. */
  stickySeconds(key: string): number | undefined {
    return this.services.get(key)?.stickySeconds;
  }

  next(key: string, clientIP: string, reset = false): string | undefined {
    const s = this.services.get(key);
    if (!s || s.endpoints.length === 0) return undefined;
    const now = this.clock.now();
    if (s.stickySeconds !== undefined && !reset) {
      const a = s.affinity.get(clientIP);
      if (a && Math.floor((now - a.lastUsed) / 1000) < s.stickySeconds) {
        a.lastUsed = now;
        return a.endpoint;
      }
    }
    const endpoint = s.endpoints[s.index];
    s.index = (s.index + 1) % s.endpoints.length;
    if (s.stickySeconds !== undefined) s.affinity.set(clientIP, { endpoint, lastUsed: now });
    return endpoint;
  }

  cleanupStaleSessions(): void {
    const now = this.clock.now();
    for (const s of this.services.values()) {
      if (s.stickySeconds === undefined) continue;
      for (const [ip, a] of s.affinity) if (Math.floor((now - a.lastUsed) / 1000) >= s.stickySeconds) s.affinity.delete(ip);
    }
  }

  /** Client IPs with a live affinity record for the key (tests, the listener table). */
  affinityClients(key: string): string[] {
    return [...(this.services.get(key)?.affinity.keys() ?? [])].sort();
  }

  private shuffle(list: string[]): string[] {
    const a = [...list];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(this.random() * (i + 1)));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
