/**
 * The ingress controller's status loop: keeps `status.loadBalancer.ingress` of every Ingress it serves equal to
 * the controller's address, through the `ingresses/status` subresource (PUT with the cached resourceVersion, so a
 * concurrent change makes it Conflict and the key is retried with backoff, as every controller here does).
 *
 * Contract:
 * - `desiredStatus(ip, port)` is `[{ ip, ports: [{ port, protocol: 'TCP' }] }]` — a v1 IngressLoadBalancerIngress
 *   (ingress-nginx publishes only the IP; KubeLab adds the port because its HTTP port is not 80).
 * - `sync(key)` writes only when the stored value differs. An Ingress it does not serve (any more) is cleared only
 *   when its status is exactly what this controller would write (another controller's address is left alone).
 *   A vanished Ingress needs nothing.
 */
import type { Ingress, IngressLoadBalancerIngress } from 'kubernetes-types/networking/v1';
import type { Clock } from '../../base/clock';
import type { Logger } from '../../base/logger';
import type { Lister, ResourceRef } from '../../client/informers';
import { splitKey } from '../../client/informers/indexer';
import { ApiClient, isNotFound, QueueController } from '../../controllers/framework';

export const INGRESSES: ResourceRef = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };

export function desiredStatus(ip: string, port: number): IngressLoadBalancerIngress[] {
  return [{ ip, ports: [{ port, protocol: 'TCP' }] }];
}

/** Order-insensitive comparison of two load balancer ingress lists. */
export function sameStatus(a: readonly IngressLoadBalancerIngress[] | undefined, b: readonly IngressLoadBalancerIngress[] | undefined): boolean {
  const canon = (l: readonly IngressLoadBalancerIngress[] | undefined): string =>
    JSON.stringify(
      (l ?? [])
        .map((x) => ({ ip: x.ip ?? '', hostname: x.hostname ?? '', ports: (x.ports ?? []).map((p) => `${p.port}/${p.protocol}/${p.error ?? ''}`).sort() }))
        .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)),
    );
  return canon(a) === canon(b);
}

export interface StatusSyncerOptions {
  api: ApiClient;
  ingresses: Lister;
  logger: Logger;
  clock?: Clock;
  /** Whether the controller serves this Ingress now. */
  serves(ing: Readonly<Ingress>): boolean;
  /** The address to publish (known once the server listens). */
  address(): IngressLoadBalancerIngress[];
}

export class IngressStatusSyncer extends QueueController {
  constructor(private readonly s: StatusSyncerOptions) {
    super({ name: 'ingress-status', logger: s.logger, clock: s.clock });
  }

  protected async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ing = this.s.ingresses.get(namespace, name) as Readonly<Ingress> | undefined;
    if (!ing) return;
    const ours = this.s.address();
    const current = ing.status?.loadBalancer?.ingress;
    let want: IngressLoadBalancerIngress[];
    if (this.s.serves(ing)) want = ours;
    else if (current?.length && sameStatus(current, ours)) want = [];
    else return;
    if (sameStatus(current, want)) return;
    const updated = { ...(ing as Record<string, unknown>), status: { ...(ing.status ?? {}), loadBalancer: { ...(ing.status?.loadBalancer ?? {}), ingress: want } } };
    try {
      await this.s.api.updateStatus(INGRESSES, namespace, updated);
      this.logger.info(`updated status of Ingress ${key} to ${want.map((w) => w.ip).join(', ') || '(none)'}`);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }
}
