/**
 * The identity this endpoint presents as an etcd member, and etcd's ResponseHeader. The ids are the ones a
 * single default etcd member has (cluster cdf818194e3a8c32, member 8e9e05c52164694d), the member is always its
 * own leader, and the raft term never changes (there is no raft: one member, one store).
 */
export const CLUSTER_ID = '14841639068965178418';
export const MEMBER_ID = '10276657743932975437';
export const MEMBER_NAME = 'kubelab';
export const RAFT_TERM = 2;
/** What Maintenance.Status reports as the server version. */
export const SERVER_VERSION = '3.4.0-kubelab';

export interface ResponseHeader {
  cluster_id: string;
  member_id: string;
  revision: number;
  raft_term: number;
}

export function header(revision: number): ResponseHeader {
  return { cluster_id: CLUSTER_ID, member_id: MEMBER_ID, revision, raft_term: RAFT_TERM };
}
