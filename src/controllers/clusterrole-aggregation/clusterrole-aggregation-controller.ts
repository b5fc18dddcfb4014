/**
 * The ClusterRole aggregation controller (upstream's clusterrole-aggregation-controller): a ClusterRole with an
 * aggregationRule gets the union of the rules of the ClusterRoles its selectors pick (admin ⊇ edit ⊇ view, and any
 * user role labelled `rbac.authorization.k8s.io/aggregate-to-view: "true"` …), updated whenever they change.
 */
import type { StoredObject } from '../../api/object';
import { aggregateClusterRole, policyRulesEqual } from '../../apiserver/authz/aggregation';
import type { Logger } from '../../base/logger';
import { ObjectMirror } from '../../client/object-mirror';
import type { Transport } from '../../client/transport';
import { SyncLoop } from '../sync-loop';

const PATH = '/apis/rbac.authorization.k8s.io/v1/clusterroles';

export class ClusterRoleAggregationController {
  private readonly loop: SyncLoop;
  private readonly roles: ObjectMirror;

  /** `reads` lists and watches (upstream's shared informers, as system:kube-controller-manager); `t` writes, as the
   * controller's own ServiceAccount. */
  constructor(
    reads: Transport,
    private readonly t: Transport,
    logger: Logger,
  ) {
    this.loop = new SyncLoop(() => this.sync(), logger);
    this.roles = new ObjectMirror(reads, PATH, () => this.loop.kick(), logger);
  }

  async start(): Promise<void> {
    await this.roles.start();
    this.loop.kick();
    await this.loop.idle();
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  close(): void {
    this.roles.stop();
    this.loop.close();
  }

  private async sync(): Promise<void> {
    const all = [...this.roles.items.values()] as unknown as StoredObject[];
    for (const role of all) {
      const rules = aggregateClusterRole(role, all);
      if (rules === undefined || policyRulesEqual(rules, role.rules as never)) continue;
      const res = await this.t.request({ method: 'PUT', path: `${PATH}/${role.metadata.name}`, body: { ...role, rules } });
      if (res.status === 409 || res.status === 404) continue; // changed or gone meanwhile: the mirror brings it back
      if (res.status >= 300) throw new Error(`updating clusterrole ${role.metadata.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
}
