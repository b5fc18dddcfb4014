/**
 * IPv4 address and CIDR arithmetic shared by the node IPAM controller (which hands each Node a /24 of the cluster
 * CIDR) and the host-local IPAM (which hands each pod an address of its node's podCIDR). Pure. IPv4 only: an IPv6
 * text is refused with an error saying so.
 *
 * Addresses are unsigned 32-bit integers. Parsing is strict (four decimal octets 0–255, no leading zeros, as Go's
 * net.ParseIP since 1.17). A CIDR's host bits are cleared as Go's net.ParseCIDR does (`10.244.1.7/24` is the network
 * 10.244.1.0/24). Errors use Go's wording: `invalid CIDR address: <text>`, `invalid IP address: <text>`.
 */

export interface Ipv4Cidr {
  /** The network address (host bits zero), unsigned. */
  readonly base: number;
  /** The prefix length, 0–32. */
  readonly prefix: number;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** The address as an unsigned integer, or undefined if `text` is not a strict dotted-quad IPv4 address. */
export function tryParseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** The address as an unsigned integer; throws `invalid IP address: <text>` (or an IPv4-only error for IPv6). */
export function parseIPv4(text: string): number {
  const n = tryParseIPv4(text);
  if (n !== undefined) return n;
  if (text.includes(':')) throw new Error(`only IPv4 is supported, not the IPv6 address ${text}`);
  throw new Error(`invalid IP address: ${text}`);
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The netmask of a prefix length, unsigned (prefix 0 → 0). */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n`; throws `invalid CIDR address: <text>` (or an IPv4-only error for an IPv6 CIDR). */
export function parseCidr(text: string): Ipv4Cidr {
  const c = tryParseCidr(text);
  if (c) return c;
  if (text.includes(':')) throw new Error(`only IPv4 is supported, not the IPv6 CIDR ${text}`);
  throw new Error(`invalid CIDR address: ${text}`);
}

/** parseCidr without throwing: undefined for anything but a valid IPv4 CIDR. */
export function tryParseCidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = tryParseIPv4(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (ip === undefined || !/^(0|[1-9][0-9]?)$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > 32) return undefined;
  return { base: (ip & prefixMask(prefix)) >>> 0, prefix };
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

/** Number of addresses in the block (2^(32-prefix)). */
export function cidrSize(c: Ipv4Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** The block's last address (its broadcast address). */
export function lastAddress(c: Ipv4Cidr): number {
  return c.base + cidrSize(c) - 1;
}

export function cidrContains(c: Ipv4Cidr, ip: number): boolean {
  return ip >= c.base && ip <= lastAddress(c);
}

/** True if the blocks share an address (CIDR blocks either nest or are disjoint). */
export function cidrOverlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base <= lastAddress(b) && b.base <= lastAddress(a);
}
