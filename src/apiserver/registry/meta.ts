/**
 * Server-owned metadata: uids, generated names (upstream's alphabet without vowels and confusable digits),
 * RFC 3339 timestamps at second precision, and storage keys (`<prefix>/<namespace>/<name>`).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { ResourceInfo } from '../../api/resources';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME = 63;
const RANDOM_LENGTH = 5;

export function newUid(): string {
  return randomUUID();
}

/** The random source of generated names (a crypto-strong integer below n); tests replace it to make names collide. */
export const nameRandom = { int: (n: number): number => randomInt(n) };

/** generateName + 5 random characters, the base cut so the whole fits 63 characters (upstream's SimpleNameGenerator). */
export function generateName(base: string): string {
  const cut = base.length > MAX_NAME - RANDOM_LENGTH ? base.slice(0, MAX_NAME - RANDOM_LENGTH) : base;
  let s = cut;
  for (let i = 0; i < RANDOM_LENGTH; i++) s += ALPHANUMS[nameRandom.int(ALPHANUMS.length)];
  return s;
}

let lastSecond = NaN;
let lastText = '';

export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** Micro-time (events' eventTime, leases' renewTime): RFC 3339 with microseconds. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function storageKey(r: ResourceInfo, namespace: string, name: string): string {
  return r.namespaced ? `${r.storagePrefix}/${namespace}/${name}` : `${r.storagePrefix}/${name}`;
}
