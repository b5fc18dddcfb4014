/**
 * A node's image store, shared by the runtimes: references parsed and normalized as the kubelet and containerd do
 * (InvalidImageName otherwise), pull policies (Always fetches again, IfNotPresent returns a present image at once,
 * Never fails with ErrImageNeverPull when absent), concurrent pulls of one reference sharing one fetch, and the
 * present images by normalized reference. How an image is fetched is the runtime's (the `fetch` it passes in: a
 * simulated registry on the clock for sim, nothing at all for process). Image ids and sizes are derived from the
 * normalized reference, so every node and every runtime gives the same image the same id.
 */
import { createHash } from 'node:crypto';
import { invalidImageName, neverPull } from './errors';
import { isImageRefError, parseImageRef } from './image-ref';
import type { ImageInfo, PulledImage, PullPolicy } from './runtime';

/** Fetch `ref` (normalized as `normalized`) from its registry; resolves when done, rejects with a RuntimeError. */
export type ImageFetch = (ref: string, normalized: string) => Promise<void>;

/** "sha256:<hex>" of the normalized reference. */
export const imageIdOf = (normalizedRef: string): string => `sha256:${createHash('sha256').update(normalizedRef).digest('hex')}`;

/** A stable nominal size between 2 MB and 200 MB, from the image id. */
export const nominalImageSize = (imageId: string): number => 2_000_000 + (parseInt(imageId.slice(7, 15), 16) % 198_000_000);

export class ImageStore {
  private readonly present = new Map<string, ImageInfo>(); // normalized ref → info
  private readonly inflight = new Map<string, Promise<PulledImage>>();

  constructor(
    private readonly fetch: ImageFetch,
    preloaded: string[] = [],
  ) {
    for (const ref of preloaded) this.add(this.normalize(ref));
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
    const p = this.fetch(ref, normalized)
      .then((): PulledImage => {
        const info = this.add(normalized);
        return { imageId: info.imageId, imageRef: normalized, sizeBytes: info.sizeBytes, cached: false };
      })
      .finally(() => this.inflight.delete(normalized));
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

  /** The id of a present image, or undefined; throws InvalidImageName for a reference that does not parse. */
  idOf(ref: string): string | undefined {
    return this.present.get(this.normalize(ref))?.imageId;
  }

  private add(normalized: string): ImageInfo {
    const imageId = imageIdOf(normalized);
    const info: ImageInfo = { imageId, repoTags: [normalized], sizeBytes: nominalImageSize(imageId) };
    for (const other of this.present.values()) {
      if (other.imageId === imageId && !other.repoTags.includes(normalized)) other.repoTags.push(normalized);
    }
    this.present.set(normalized, info);
    return info;
  }
}
