/**
 * kube-proxy's per-service iptables chain names (pkg/proxy/iptables/proxier.go): a prefix and the first 16
 * characters of base32(sha256(input)) (RFC 4648 standard alphabet), because chain names must stay within 28
 * characters.
 *
 * - KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW- share one hash, portProtoHash(servicePortName + protocol), where
 *   servicePortName is `ns/name:port` (or `ns/name`) and protocol is lower case (`tcp`).
 * - KUBE-SEP- hashes servicePortName + protocol + the endpoint's `ip:port`.
 *
 * Hashing is the main cost of a full sync, so callers cache names (see ServiceChains).
 */
import * as crypto from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

type HexSha256 = (input: string) => string;

// A hex string is cheaper to get than a Buffer (no backing store to allocate and collect).
const sha256Hex: HexSha256 =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'hex')
    : (input) => crypto.createHash('sha256').update(input).digest('hex');

const hexValue = (c: number): number => (c <= 57 ? c - 48 : c - 87);

/** The first 16 base32 characters (80 bits = the first 20 hex digits) of sha256(input). */
export function hash16(input: string): string {
  const hex = sha256Hex(input);
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < 20; i++) {
    acc = (acc << 4) | hexValue(hex.charCodeAt(i));
    bits += 4;
    if (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
      acc &= (1 << bits) - 1;
    }
  }
  return out;
}

/** Upstream portProtoHash(servicePortName, protocol). */
export function portProtoHash(servicePortName: string, protocolLower: string): string {
  return hash16(servicePortName + protocolLower);
}

export const CHAIN_PREFIX = {
  cluster: 'KUBE-SVC-',
  local: 'KUBE-SVL-',
  firewall: 'KUBE-FW-',
  external: 'KUBE-EXT-',
  endpoint: 'KUBE-SEP-',
} as const;

export function servicePortEndpointChainName(servicePortName: string, protocolLower: string, endpoint: string): string {
  return CHAIN_PREFIX.endpoint + hash16(servicePortName + protocolLower + endpoint);
}

/** The chains of one service port, with its endpoint chain names cached by `ip:port`. */
export class ServiceChains {
  readonly cluster: string;
  readonly local: string;
  readonly firewall: string;
  readonly external: string;
  private readonly seps = new Map<string, string>();

  constructor(
    readonly servicePortName: string,
    readonly protocolLower: string,
  ) {
    const h = portProtoHash(servicePortName, protocolLower);
    this.cluster = CHAIN_PREFIX.cluster + h;
    this.local = CHAIN_PREFIX.local + h;
    this.firewall = CHAIN_PREFIX.firewall + h;
    this.external = CHAIN_PREFIX.external + h;
  }

  endpoint(ipPort: string): string {
    let name = this.seps.get(ipPort);
    if (name === undefined) {
      name = servicePortEndpointChainName(this.servicePortName, this.protocolLower, ipPort);
      this.seps.set(ipPort, name);
    }
    return name;
  }

  /** How many endpoint names are cached. */
  get cachedCount(): number {
    return this.seps.size;
  }

  /** Forgets cached endpoint names not in `keep` (so the cache does not grow with endpoint churn). */
  prune(keep: ReadonlySet<string>): void {
    for (const k of this.seps.keys()) if (!keep.has(k)) this.seps.delete(k);
  }
}
