/**
 * The sim runtime's per-node image store: the shared ../image-store (parsing, policies, shared concurrent pulls,
 * ids) with a simulated registry behind it — pulls take a configurable time on the Clock (nothing when cached), and
 * references matching the failure patterns fail like a registry without the repository or the tag.
 */
import type { Clock } from '../../../base/clock';
import { failedPrecondition, manifestNotFound, repositoryNotFound, type RuntimeError } from '../errors';
import { imageIdOf, ImageStore } from '../image-store';
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

/** "sha256:<hex>" of the normalized reference (the shared image id). */
export const simImageId = imageIdOf;

export class SimImageStore {
  private readonly store: ImageStore;
  private readonly timers = new Set<{ cancel(): void }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: SimImageOptions = {},
  ) {
    this.store = new ImageStore((ref, normalized) => this.fetch(ref, normalized), options.preloaded);
  }

  /** The normalized reference, or a thrown InvalidImageName. */
  normalize(ref: string): string {
    return this.store.normalize(ref);
  }

  pull(ref: string, policy: PullPolicy = 'IfNotPresent'): Promise<PulledImage> {
    return this.store.pull(ref, policy);
  }

  status(ref: string): ImageInfo | undefined {
    return this.store.status(ref);
  }

  list(): ImageInfo[] {
    return this.store.list();
  }

  remove(refOrId: string): void {
    this.store.remove(refOrId);
  }

  /** The id of a present image, or undefined. */
  idOf(ref: string): string | undefined {
    return this.store.idOf(ref);
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

  private fetch(ref: string, normalized: string): Promise<void> {
    const opt = this.options.pullMs ?? DEFAULT_PULL_MS;
    const ms = typeof opt === 'function' ? opt(normalized) : opt;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.timers.delete(handle);
        const error = this.failure(ref, normalized);
        if (error) return reject(error);
        resolve();
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
}
