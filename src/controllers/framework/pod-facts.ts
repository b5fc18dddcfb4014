/**
 * What the ReplicaSet controller reads from every pod on every sync — active, controller uid, ready and since when,
 * whether it matches the owner's selector and carries the template's labels — computed once per pod object and
 * remembered beside it (informer objects are immutable: a changed pod is a new object). A sync of a 10,000-replica
 * owner runs while its pods keep changing, once per status write; reading each pod's nested fields afresh every
 * time was most of that controller's CPU.
 */
import type { LabelSelector } from '../../api/selectors/label-selector';
import type { CachedObject } from '../../client/informers';
import { controllerRefOf } from './controller-ref';
import { isPodActive, podReadyCondition, readyLongEnough } from './pod-util';

export interface PodFacts {
  readonly active: boolean;
  readonly controllerUid: string | undefined;
  readonly ready: boolean;
  /** When the Ready condition last turned True (ms), NaN when not given. */
  readonly readySinceMs: number;
  readonly labels: Readonly<Record<string, string>> | undefined;
  /** The last selector this pod was matched against, and the answer. */
  selector?: LabelSelector;
  selected?: boolean;
  /** The last template labels checked (by identity), and whether the pod carries them all. */
  template?: readonly (readonly [string, string])[];
  fullyLabeled?: boolean;
}

const cache = new WeakMap<object, PodFacts>();

export function podFacts(p: CachedObject): PodFacts {
  let f = cache.get(p);
  if (!f) {
    const ready = podReadyCondition(p);
    f = {
      active: isPodActive(p),
      controllerUid: controllerRefOf(p)?.uid,
      ready: ready?.status === 'True',
      readySinceMs: ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN,
      labels: p.metadata?.labels,
    };
    cache.set(p, f);
  }
  return f;
}

/** selector.matches(labels), remembered while the same selector object asks again. */
export function selectedBy(f: PodFacts, selector: LabelSelector): boolean {
  if (f.selector !== selector) {
    f.selector = selector;
    f.selected = selector.matches(f.labels);
  }
  return f.selected!;
}

/** Whether the pod has every template label, remembered for the same template label list. */
export function fullyLabeled(f: PodFacts, template: readonly (readonly [string, string])[]): boolean {
  if (f.template !== template) {
    f.template = template;
    const labels = f.labels ?? {};
    f.fullyLabeled = template.every(([k, v]) => labels[k] === v);
  }
  return f.fullyLabeled!;
}

/** Ready for at least minReadySeconds at `now` (ms): isPodAvailable from the facts. */
export function availableAt(f: PodFacts, minReadySeconds: number, now: number): boolean {
  return f.ready && readyLongEnough(f.readySinceMs, minReadySeconds, now);
}

const templates = new Map<string, readonly (readonly [string, string])[]>();

/** A template's labels as one shared entry list per distinct label set (so fullyLabeled's memo holds across syncs). */
export function templateEntries(labels: Readonly<Record<string, string>> | undefined): readonly (readonly [string, string])[] {
  const entries = Object.entries(labels ?? {});
  const key = JSON.stringify(entries);
  let shared = templates.get(key);
  if (!shared) {
    if (templates.size >= 256) templates.delete(templates.keys().next().value!);
    templates.set(key, (shared = entries));
  }
  return shared;
}
