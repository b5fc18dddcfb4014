/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): a mutating plugin for pod CREATE and
 * UPDATE (no subresources). A pod that does not already tolerate `node.kubernetes.io/not-ready:NoExecute`
 * (a toleration whose key is that taint or empty, and whose effect is NoExecute or empty) gets
 * `{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}` appended;
 * likewise for `node.kubernetes.io/unreachable`. Both seconds are configurable, as upstream's flags.
 */
import { ensure, isResource, str, type Obj } from './plugin-util';
import type { AdmissionAttributes, MutatingPlugin } from './types';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** --default-not-ready-toleration-seconds (300). */
  notReadySeconds?: number;
  /** --default-unreachable-toleration-seconds (300). */
  unreachableSeconds?: number;
}

function tolerates(tolerations: readonly Obj[], taint: string): boolean {
  return tolerations.some((t) => {
    const key = str(t, 'key');
    const effect = str(t, 'effect');
    return (key === taint || key === '') && (effect === 'NoExecute' || effect === '');
  });
}

export function createDefaultTolerationSecondsPlugin(opts: DefaultTolerationSecondsOptions = {}): MutatingPlugin {
  const defaults: [string, number][] = [
    [TAINT_NODE_NOT_READY, opts.notReadySeconds ?? 300],
    [TAINT_NODE_UNREACHABLE, opts.unreachableSeconds ?? 300],
  ];
  return {
    name: 'DefaultTolerationSeconds',
    handles: (attrs: AdmissionAttributes) => (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE') && isResource(attrs, '', 'pods'),
    admit(attrs: AdmissionAttributes): void {
      if (!attrs.object) return;
      const spec = ensure(attrs.object, 'spec');
      const existing = Array.isArray(spec.tolerations) ? (spec.tolerations as unknown[]) : [];
      const plain = existing.filter((t): t is Obj => typeof t === 'object' && t !== null && !Array.isArray(t));
      const added = defaults
        .filter(([taint]) => !tolerates(plain, taint))
        .map(([key, seconds]) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));
      if (added.length) spec.tolerations = [...existing, ...added];
    },
  };
}
