/**
 * ImageLocality (upstream plugins/imagelocality, default weight 1): Score favouring nodes that already hold the pod's
 * (init) container images. Each image found on the node counts its size scaled by its spread (nodes having it / all
 * nodes in the snapshot); the sum is clamped to [23 MiB, 1000 MiB × number of containers] and mapped linearly onto
 * 0–100. Image names are matched after upstream's normalization (`:latest` appended when no tag), and also in their
 * fully qualified (`docker.io/library/nginx:latest`) and familiar (`nginx:latest`) forms, so a pod saying `nginx`
 * finds a node reporting `docker.io/library/nginx:latest` (upstream leaves that case as a TODO). PreScore computes the
 * pod's candidate names once per cycle; Score reads NodeInfo.imageStates only. No NormalizeScore, no events.
 */
import type { Handle, NodeInfo, Pod, PreScorePlugin, ScoreOutcome, ScorePlugin, StateData } from '../framework';
import { MAX_NODE_SCORE as FRAMEWORK_MAX_NODE_SCORE, Status, type CycleState } from '../framework';

/** Read once: imports are getters under the CommonJS transform, and scoring runs per node. */
const MAX_NODE_SCORE = FRAMEWORK_MAX_NODE_SCORE;

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'ImageLocality';
/** Weight in the upstream default profile. */
export const DEFAULT_WEIGHT = 1;
const PRE_SCORE_STATE_KEY = 'PreScore' + NAME;

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** upstream normalizedImageName: append `:latest` when the last ':' is not after the last '/'. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** docker's ParseNormalizedNamed in spirit: `nginx` → `docker.io/library/nginx`, `me/app` → `docker.io/me/app`. */
export function fullyQualifiedImageName(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain) return first === 'index.docker.io' ? `docker.io${name.slice(first.length)}` : name;
  return slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
}

/** The familiar form: `docker.io/library/nginx` → `nginx`, `docker.io/me/app` → `me/app`. */
export function familiarImageName(name: string): string {
  if (name.startsWith('docker.io/library/') && !name.slice('docker.io/library/'.length).includes('/')) return name.slice('docker.io/library/'.length);
  if (name.startsWith('docker.io/')) return name.slice('docker.io/'.length);
  return name;
}

/** The names under which a node may report `image`: tag-normalized, then fully qualified, then familiar. */
export function imageNameCandidates(image: string): string[] {
  const n = normalizedImageName(image);
  return [...new Set([n, fullyQualifiedImageName(n), familiarImageName(n)])];
}

class PreScoreState implements StateData {
  constructor(
    /** Per container (init containers first), its candidate names. */
    readonly images: readonly (readonly string[])[],
    readonly totalNumNodes: number,
  ) {}
  clone(): StateData {
    return this;
  }
}

type Containers = { containers?: { image?: string }[]; initContainers?: { image?: string }[] };

function podImages(pod: Pod): string[][] {
  const spec = (pod.spec ?? {}) as Containers;
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => imageNameCandidates(c.image ?? ''));
}

/** calculatePriority: the clamped sum mapped onto 0–100 (integer division). */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.floor((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/** sumImageScores: each image present on the node counts int64(size × numNodes / totalNumNodes). */
export function sumImageScores(nodeInfo: NodeInfo, images: readonly (readonly string[])[], totalNumNodes: number): number {
  let sum = 0;
  for (const names of images) {
    for (const n of names) {
      const st = nodeInfo.imageStates.get(n);
      if (st) {
        sum += Math.trunc(st.size * (st.numNodes / totalNumNodes));
        break;
      }
    }
  }
  return sum;
}

export class ImageLocality implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  preScore(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): Status {
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(podImages(pod), this.handle.snapshot().list().length));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): ScoreOutcome {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY) ?? new PreScoreState(podImages(pod), this.handle.snapshot().list().length);
    // A node without images scores 0 (the sum stays under the minimum threshold).
    if (s.images.length === 0 || s.totalNumNodes === 0 || nodeInfo.imageStates.size === 0) return 0;
    return calculatePriority(sumImageScores(nodeInfo, s.images, s.totalNumNodes), s.images.length);
  }
}

export const newImageLocality = (_args: Record<string, unknown> | undefined, handle: Handle): ImageLocality => new ImageLocality(handle);
