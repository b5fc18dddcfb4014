/**
 * The sim runtime's per-node image store: simulated pulls on the Clock (a configurable time per reference, nothing
 * when cached), references that fail like a registry without the repository, pull policies, concurrent pulls of one
 * reference sharing one fetch. Image ids and sizes are derived from the normalized reference, so every node gives
 * the same image the same id.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../../base/clock';
import { failedPrecondition, invalidImageName, manifestNotFound, neverPull, repositoryNotFound, type RuntimeError } from '../errors';
import { isImageRefError, parseImageRef } from '../image-ref';
import type { ImageInfo, PulledImage, PullPolicy } from '../runtime';

export interface SimImageOptions {
  /** Simulated pull time in ms, fixed or per normalized reference (default 2,000). */
  pullMs?: number | ((normalizedRef: string) => number);
  /**
   * References that fail to pull: a substring or RegExp matched against the reference as written and normalized.
   * Default: anything containing "doesnotexist", "nonexistent" or "invalid-image". When a pattern matches the
   * repository, the pull fails as for a missing repository; when it matches only the tag, as for a missing tag.
   */
  failPatterns?: (string | RegExp)[];
  /** References present from the start (e.g. the pause image). */
  preloaded?: string[];
}

export const DEFAULT_FAIL_PATTERNS: (string | RegExp)[] = ['doesnotexist', 'nonexistent', 'invalid-image'];
export const DEFAULT_PULL_MS = 2000;

/** "sha256:<hex>" of the normalized reference. */
export const simImageId = (normalizedRef: string): string => `sha256:${createHash('sha256').update(normalizedRef).digest('hex')}`;

/** A stable size between 2 MB and 200 MB. */
const simSize = (id: string): number => 2_000_000 + (parseInt(id.slice(7, 15), 16) % 198_000_000);

export class SimImageStore {
  private readonly present = new Map<string, ImageInfo>(); // normalized ref → info
  private readonly inflight = new Map<string, Promise<PulledImage>>();
  private readonly timers = new Set<{ cancel(): void }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: SimImageOptions = {},
  ) {
    for (const ref of options.preloaded ?? []) this.add(this.normalize(ref));
  }

  /** The normalized reference, or a thrown InvalidImageName. */
  normalize(ref: string): string {
    const parsed = parseImageRef(ref);
    if (isImageRefError(parsed)) throw invalidImageName(ref, parsed.error);
    return parsed.normalized;
  }

  async pull(ref: string, policy: PullPolicy = 'IfNotPresent'): Promise<PulledImage> {
    const normalized = this.normalize(ref);
    const have = this.present.get(normalized);
    if (have && policy !== 'Always') return { imageId: have.imageId, imageRef: normalized, sizeBytes: have.sizeBytes, cached: true };
    if (!have && policy === 'Never') throw neverPull(ref);
    const running = this.inflight.get(normalized);
    if (running) return running;
    const p = this.fetch(ref, normalized).finally(() => this.inflight.delete(normalized));
    this.inflight.set(normalized, p);
    return p;
  }

  status(ref: string): ImageInfo | undefined {
    const info = this.present.get(this.normalize(ref));
    return info && { ...info, repoTags: [...info.repoTags] };
  }

  list(): ImageInfo[] {
    const byId = new Map<string, ImageInfo>();
    for (const info of this.present.values()) byId.set(info.imageId, { ...info, repoTags: [...info.repoTags] });
    return [...byId.values()];
  }

  remove(refOrId: string): void {
    for (const [ref, info] of this.present) {
      if (info.imageId === refOrId || ref === refOrId) this.present.delete(ref);
    }
    const parsed = parseImageRef(refOrId);
    if (!isImageRefError(parsed)) this.present.delete(parsed.normalized);
  }

  /** The id of a present image, or undefined. */
  idOf(ref: string): string | undefined {
    return this.present.get(this.normalize(ref))?.imageId;
  }

  dispose(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  /** The pull's error when a fail pattern matches: repository unknown, or (matching only the tag) tag unknown. */
  private failure(ref: string, normalized: string): RuntimeError | undefined {
    const matches = (s: string) =>
      (this.options.failPatterns ?? DEFAULT_FAIL_PATTERNS).some((p) => (typeof p === 'string' ? s.includes(p) : p.test(s)));
    if (!matches(ref) && !matches(normalized)) return undefined;
    const parsed = parseImageRef(ref);
    const repository = isImageRefError(parsed) ? normalized : `${parsed.domain}/${parsed.path}`;
    const repoOnly = isImageRefError(parsed) ? ref : ref.split(/[@]/)[0].replace(/:[\w][\w.-]*$/, '');
    return matches(repository) || matches(repoOnly) ? repositoryNotFound(normalized) : manifestNotFound(normalized);
  }

  private fetch(ref: string, normalized: string): Promise<PulledImage> {
    const opt = this.options.pullMs ?? DEFAULT_PULL_MS;
    const ms = typeof opt === 'function' ? opt(normalized) : opt;
    return new Promise<PulledImage>((resolve, reject) => {
      const done = () => {
        this.timers.delete(handle);
        const error = this.failure(ref, normalized);
        if (error) return reject(error);
        const info = this.add(normalized);
        resolve({ imageId: info.imageId, imageRef: normalized, sizeBytes: info.sizeBytes, cached: false });
      };
      const timer = this.clock.setTimeout(done, ms);
      const handle = {
        cancel: () => {
          this.clock.clearTimeout(timer);
          reject(failedPrecondition('the runtime was disposed during the pull'));
        },
      };
      this.timers.add(handle);
    });
  }

  private add(normalized: string): ImageInfo {
    const imageId = simImageId(normalized);
    const info: ImageInfo = { imageId, repoTags: [normalized], sizeBytes: simSize(imageId) };
    for (const other of this.present.values()) {
      if (other.imageId === imageId && !other.repoTags.includes(normalized)) other.repoTags.push(normalized);
    }
    this.present.set(normalized, info);
    return info;
  }
}
