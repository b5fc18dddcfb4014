/**
 * InterPodAffinity's queueing hints (upstream plugin.go isSchedulableAfterPodChange / isSchedulableAfterNodeChange).
 * Pod changes: only assigned pods count; an update helps when the pod starts matching all affinity terms or stops
 * matching all anti-affinity terms; an add helps when it matches all affinity terms; a delete when it matched all
 * anti-affinity terms. Node add/update: helps when the node has a topology key of some (anti-)affinity term.
 */
import { podInfo, type Node, type Pod, type QueueingHint } from '../../framework';
import { labelsOf, podMatchesAllAffinityTerms } from './common';

function assigned(p: Pod | undefined): boolean {
  return !!(p?.spec as { nodeName?: string } | undefined)?.nodeName;
}

export function podChangeHint(pod: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const original = oldObj as Pod | undefined;
  const modified = newObj as Pod | undefined;
  if ((modified && !assigned(modified)) || (original && !assigned(original))) return 'QueueSkip';
  let terms, antiTerms;
  try {
    const pi = podInfo(pod);
    terms = pi.requiredAffinityTerms;
    antiTerms = pi.requiredAntiAffinityTerms;
  } catch {
    return 'Queue';
  }
  if (modified && original) {
    if (!podMatchesAllAffinityTerms(terms, original) && podMatchesAllAffinityTerms(terms, modified)) return 'Queue';
    if (podMatchesAllAffinityTerms(antiTerms, original) && !podMatchesAllAffinityTerms(antiTerms, modified)) return 'Queue';
    return 'QueueSkip';
  }
  if (modified) return podMatchesAllAffinityTerms(terms, modified) ? 'Queue' : 'QueueSkip';
  if (original) return podMatchesAllAffinityTerms(antiTerms, original) ? 'Queue' : 'QueueSkip';
  return 'Queue';
}

export function nodeChangeHint(pod: Pod, _oldObj: unknown, newObj: unknown): QueueingHint {
  const modified = newObj as Node | undefined;
  if (!modified) return 'Queue';
  let pi;
  try {
    pi = podInfo(pod);
  } catch {
    return 'Queue';
  }
  const labels = labelsOf(modified);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  if (pi.requiredAffinityTerms.some((t) => has(t.topologyKey))) return 'Queue';
  if (pi.requiredAntiAffinityTerms.some((t) => has(t.topologyKey))) return 'Queue';
  return 'QueueSkip';
}
