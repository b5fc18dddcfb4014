/**
 * What etcd's Maintenance and Cluster services answer for this single-member endpoint: Status (version
 * "3.4.0-kubelab", the database size, the member as its own leader, raft index = the store revision), Alarm with
 * action Get (no alarms; raising or clearing alarms is UNIMPLEMENTED), and MemberList (this one member).
 */
import type * as grpc from '@grpc/grpc-js';
import type { Store } from '../store';
import { unimplemented } from './grpc-error';
import { unary, unimplementedMessage } from './handlers';
import { header, MEMBER_ID, MEMBER_NAME, SERVER_VERSION } from './header';

export interface MaintenanceOptions {
  /** The database size in bytes for Status (0 when unknown). */
  dbSize: () => number | Promise<number>;
  /** The URL clients reach this endpoint at, for MemberList. */
  clientUrl: () => string;
}

export function maintenanceService(store: Store, options: MaintenanceOptions): Record<string, grpc.UntypedHandleCall> {
  return {
    Status: unary(async () => {
      const revision = await store.revision();
      const dbSize = await options.dbSize();
      return {
        header: header(revision),
        version: SERVER_VERSION,
        dbSize,
        leader: MEMBER_ID,
        raftIndex: revision,
        raftTerm: header(revision).raft_term,
        raftAppliedIndex: revision,
        errors: [],
        dbSizeInUse: dbSize,
        isLearner: false,
      };
    }),
    Alarm: unary(async (req: { action?: string | number }) => {
      if (String(req.action ?? 'Get') !== 'Get') throw unimplemented(unimplementedMessage('Maintenance', 'Alarm (Activate, Deactivate)'));
      return { header: header(await store.revision()), alarms: [] };
    }),
  };
}

export function clusterService(store: Store, options: MaintenanceOptions): Record<string, grpc.UntypedHandleCall> {
  return {
    MemberList: unary(async () => ({
      header: header(await store.revision()),
      members: [{ ID: MEMBER_ID, name: MEMBER_NAME, peerURLs: [], clientURLs: [options.clientUrl()], isLearner: false }],
    })),
  };
}
