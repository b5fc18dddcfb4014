/**
 * The field manager a write is recorded under when the request names none: the API server's prefixFromUserAgent —
 * the User-Agent up to its first `/` (`kubectl/v1.32.0 (linux/amd64) kubernetes/abc` → `kubectl`), without
 * non-printable characters, cut so it stays within 128 UTF-8 bytes. An empty result is recorded as `unknown`
 * (upstream's buildManagerInfo), which applyPatch/updateManagedFields do for an empty manager.
 * kubectl itself always sends `fieldManager` (`kubectl-client-side-apply`, `kubectl-create`, `kubectl-edit`,
 * `kubectl-replace`, `kubectl-patch`, `kubectl` for --server-side …), so those names never come from here.
 */
import { isGoPrintable } from './values';

/** validation.FieldManagerMaxLength */
export const FIELD_MANAGER_MAX_LENGTH = 128;

export function defaultFieldManager(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0]!;
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (!isGoPrintable(ch)) continue;
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** managerOrUserAgent: the requested manager if any, else the User-Agent prefix. */
export function managerOrUserAgent(manager: string | undefined, userAgent: string | undefined): string {
  return manager ? manager : defaultFieldManager(userAgent);
}
