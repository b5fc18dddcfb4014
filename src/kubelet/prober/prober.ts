/**
 * One probe of a container as upstream's prober.probe does it: the action (./probe-action) is tried up to
 * MAX_PROBE_RETRIES times while it errors (not while it fails), then the outcome is recorded as an event on the pod
 * with upstream's wording and reduced to what the worker counts:
 * - success → 'success'; warning → a `Warning ProbeWarning "<Type> probe warning: …"` event, then 'success';
 * - failure → a `Warning Unhealthy "<Type> probe failed: <output>"` event, then 'failure'; unknown → 'failure';
 * - an error → a `Warning Unhealthy "<Type> probe errored and resulted in unknown state: <error>"` event, then
 *   undefined: the worker throws the result away.
 * Nothing is recorded once `signal` has aborted (the worker was stopped meanwhile).
 */
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { ContainerRuntime } from '../runtime/runtime';
import { runAction, type ActionResult, type ActionTarget } from './probe-action';
import { probeTypeName } from './probe-spec';

export const MAX_PROBE_RETRIES = 3;

export type ProbeOutcome = 'success' | 'failure';

export interface ProberDeps {
  runtime: ContainerRuntime;
  clock: Clock;
  logger: Logger;
  /** Records a container event (type, reason, message). */
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export async function probeOnce(deps: ProberDeps, target: ActionTarget, signal?: AbortSignal): Promise<ProbeOutcome | undefined> {
  let r: ActionResult = { result: 'unknown', output: '' };
  for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
    r = await runAction(deps.runtime, deps.clock, target, signal);
    if (!r.error || signal?.aborted) break;
  }
  if (signal?.aborted) return undefined;
  const type = probeTypeName(target.spec.type);
  const what = `${type} probe for ${target.podDescription}:${target.container.name}`;
  if (r.error) {
    deps.logger.debug(`${what} errored: ${r.error.message}`);
    deps.event('Warning', 'Unhealthy', `${type} probe errored and resulted in ${r.result} state: ${r.error.message}`);
    return undefined;
  }
  switch (r.result) {
    case 'success':
      return 'success';
    case 'warning':
      deps.event('Warning', 'ProbeWarning', `${type} probe warning: ${r.output}`);
      return 'success';
    case 'failure':
      deps.logger.debug(`${what} failed: ${r.output}`);
      deps.event('Warning', 'Unhealthy', `${type} probe failed: ${r.output}`);
      return 'failure';
    default:
      return 'failure';
  }
}
