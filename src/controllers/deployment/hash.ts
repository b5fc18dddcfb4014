/**
 * The pod-template-hash (upstream controller.ComputeHash): FNV-1a 32-bit over the pod template — here its canonical
 * JSON (sorted keys), where upstream feeds a deep printer — followed, when the Deployment has a collisionCount, by
 * that count as 8 little-endian bytes (the low 4 holding the uint32, as upstream writes it); the decimal value of
 * the sum is rendered with rand.SafeEncodeString. Equal templates always hash alike; a bumped collisionCount gives
 * a new name for the same template.
 */
import { canonicalJson, safeEncodeString } from '../history/controller-history';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1aUpdate(h: number, bytes: Uint8Array): number {
  let x = h;
  for (const b of bytes) x = Math.imul((x ^ b) >>> 0, FNV_PRIME) >>> 0;
  return x;
}

/** FNV-1a 32-bit of the bytes. */
export function fnv1a32(bytes: Uint8Array): number {
  return fnv1aUpdate(FNV_OFFSET, bytes);
}

export function computeHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv1aUpdate(FNV_OFFSET, Buffer.from(canonicalJson(template ?? {}), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1aUpdate(h, extra);
  }
  return safeEncodeString(String(h));
}
