/**
 * Controllers the cluster needs before the controller manager exists, each an API client of the in-process
 * transport under its own identity (upstream's per-controller ServiceAccounts in kube-system, so RBAC's
 * `system:controller:*` bindings apply): the ServiceAccounts controller, the root CA publisher and the ClusterRole
 * aggregation controller. They list and watch as system:kube-controller-manager (shared informers).
 */
import type { UserInfo } from '../apiserver/request';
import type { ApiRequest, ApiResponse } from '../apiserver/request';
import type { Logger } from '../base/logger';
import { InProcessTransport } from '../client/in-process';
import { ClusterRoleAggregationController } from '../controllers/clusterrole-aggregation/clusterrole-aggregation-controller';
import { RootCaPublisher } from '../controllers/root-ca-publisher/root-ca-publisher';
import { ServiceAccountsController } from '../controllers/serviceaccounts/serviceaccounts-controller';

export function controllerIdentity(name: string): UserInfo {
  return {
    name: `system:serviceaccount:kube-system:${name}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  };
}

export const CONTROLLER_MANAGER: UserInfo = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };

export interface BuiltinControllers {
  /** Resolves when every controller has handled what it has seen (tests). */
  idle(): Promise<void>;
  close(): void;
}

export async function startBuiltinControllers(handle: (req: ApiRequest) => Promise<ApiResponse>, caPem: string, logger: Logger): Promise<BuiltinControllers> {
  const transport = (name: string) => new InProcessTransport({ handle, user: controllerIdentity(name), userAgent: `kube-controller-manager/v1.32.0 (${name})` });
  // Reads go through shared informers under the controller manager's own identity, as upstream's do.
  const reads = new InProcessTransport({ handle, user: CONTROLLER_MANAGER, userAgent: 'kube-controller-manager/v1.32.0 (shared-informers)' });
  const transports = [reads, transport('clusterrole-aggregation-controller'), transport('service-account-controller'), transport('root-ca-cert-publisher')];
  const aggregation = new ClusterRoleAggregationController(reads, transports[1], logger.child('clusterrole-aggregation'));
  const accounts = new ServiceAccountsController(reads, transports[2], logger.child('serviceaccounts'));
  const rootCa = new RootCaPublisher(reads, transports[3], caPem, logger.child('root-ca-cert-publisher'));
  const all = [aggregation, accounts, rootCa];
  try {
    await Promise.all(all.map((c) => c.start()));
  } catch (e) {
    for (const c of all) c.close();
    for (const t of transports) t.close();
    throw e;
  }
  return {
    idle: async () => {
      await Promise.all(all.map((c) => c.idle()));
    },
    close: () => {
      for (const c of all) c.close();
      for (const t of transports) t.close();
    },
  };
}
