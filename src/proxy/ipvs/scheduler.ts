/**
 * The IPVS scheduler kube-proxy programs every virtual server with (KubeProxyIPVSConfiguration.scheduler), checked as
 * kube-proxy's config validation does (pkg/proxy/apis/config/validation: validateIPVSSchedulerMethod, whose field
 * path really does end in `Scheduler.Scheduler`). Blank means the default, rr.
 */
import { fieldErr, fieldErrorMessage } from '../../api/field-errors';

export const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'sh', 'dh', 'sed', 'nq'] as const;
export type IpvsScheduler = (typeof IPVS_SCHEDULERS)[number];

export const DEFAULT_IPVS_SCHEDULER: IpvsScheduler = 'rr';

/** The scheduler to use; throws upstream's validation error for an unsupported one. */
export function ipvsScheduler(value: string | undefined): IpvsScheduler {
  if (value === undefined || value === '') return DEFAULT_IPVS_SCHEDULER;
  if ((IPVS_SCHEDULERS as readonly string[]).includes(value)) return value as IpvsScheduler;
  // Go prints the []IPVSSchedulerMethod with %v, the trailing "" included: "[rr wrr … nq ]".
  const supported = `[${[...IPVS_SCHEDULERS, ''].join(' ')}]`;
  throw new Error(
    fieldErrorMessage(
      fieldErr.invalid(
        'KubeProxyConfiguration.KubeProxyIPVSConfiguration.Scheduler.Scheduler',
        value,
        `must be in ${supported}, blank means the default algorithm method (currently rr)`,
      ),
    ),
  );
}
