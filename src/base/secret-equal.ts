/**
 * Constant-time comparison of two secrets (tokens): both sides are hashed with SHA-256 first, so the comparison
 * takes the same time whatever the contents and whatever the lengths, then crypto.timingSafeEqual compares the
 * digests. Every comparison of a presented token with a known one goes through this (or token-file.ts's cached
 * digests); an architecture test forbids `=== token` style comparisons in the authentication code.
 */
import { hash, timingSafeEqual } from 'node:crypto';

export function secretEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}
