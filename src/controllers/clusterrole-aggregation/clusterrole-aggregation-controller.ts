/**
 * The ClusterRole aggregation controller (upstream clusterrole-aggregation-controller): a ClusterRole with an
 * aggregationRule gets the union of the rules of the ClusterRoles its selectors pick (admin ⊇ edit ⊇ view, and any
 * user role labelled `rbac.authorization.k8s.io/aggregate-to-view: "true"` …). Any ClusterRole change enqueues
 * every aggregated ClusterRole; `sync` rewrites one when its rules differ.
 */
import type { StoredObject } from '../../api/object';
import { aggregateClusterRole, policyRulesEqual } from '../../apiserver/authz/aggregation';
import type { Lister } from '../../client/informers';
import { objectKey } from '../../client/informers';
import { isConflict, isNotFound, type ApiClient } from '../framework/api-client';
import type { ControllerContext } from '../framework/context';
import { QueueController } from '../framework/controller';
import { R } from '../framework/resources';
import type { ControllerFactory } from '../manager';

export class ClusterRoleAggregationController extends QueueController {
  private readonly roles: Lister;
  private readonly client: ApiClient;

  constructor(ctx: ControllerContext) {
    super({ name: 'clusterrole-aggregation', logger: ctx.logger, clock: ctx.clock });
    this.client = ctx.clientFor('clusterrole-aggregation-controller');
    this.roles = ctx.informers.listerFor(R.clusterroles);
    const all = () => {
      for (const r of this.roles.list()) if (r.aggregationRule) this.enqueueKey(objectKey(r));
    };
    ctx.informers.informerFor(R.clusterroles).addEventHandler({ onAdd: all, onUpdate: all, onDelete: all });
  }

  protected async sync(name: string): Promise<void> {
    const role = this.roles.get('', name);

    if (!role?.aggregationRule) return;
    const all = this.roles.list() as unknown as StoredObject[];
    const rules = aggregateClusterRole(role as unknown as StoredObject, all);
    if (rules === undefined || policyRulesEqual(rules, role.rules as never)) return;
    try {
      await this.client.update(R.clusterroles, '', { ...structuredClone(role), rules } as Record<string, unknown>);
    } catch (e) {
      // Changed or gone meanwhile: the informer brings the key back if there is still work.
      if (!isConflict(e) && !isNotFound(e)) throw e;
    }
  }
}

export const clusterRoleAggregationControllerFactory: ControllerFactory = {
  name: 'clusterrole-aggregation',
  workers: 1,
  build: (ctx) => new ClusterRoleAggregationController(ctx),
};
