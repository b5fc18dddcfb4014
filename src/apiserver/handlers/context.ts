/**
 * What the resource handlers share: the registry core, the resource registry, server settings, and the hooks
 * later components plug into (CRD serving details, pod logs through the node's kubelet, component health).
 */
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import type { RegistryCore } from '../registry/core';
import type { CrdColumn } from '../table';
import type { SecurityServices } from './security';

export interface CrdServing {
  storageVersion: string;
  columns: CrdColumn[];
  /** The CRD's scale subresource paths (.spec.replicas-style JSON paths), when it has one. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

/** Pod logs come from the kubelet of the pod's node; until one exists the server answers as when it is unreachable. */
export interface NodeConnector {
  logs(pod: Readonly<StoredObject>, container: string, q: URLSearchParams, signal?: AbortSignal): Promise<AsyncIterable<string> | string>;
  /** An HTTP GET to `port` on node `node` (nodes/proxy); undefined when nothing listens there. */
  proxy?(node: string, port: number, path: string, q: URLSearchParams): Promise<NodeHttpResponse | undefined>;
}

export interface NodeHttpResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface ComponentHealth {
  name: string;
  healthy: boolean;
  message: string;
  error?: string;
}

export interface HandlerContext {
  core: RegistryCore;
  bookmarkMs: number;
  /** Watch timeout when the client sets none. */
  defaultWatchTimeoutMs: () => number;
  crdServing(r: ResourceInfo): CrdServing | undefined;
  nodes: NodeConnector;
  componentStatuses(): ComponentHealth[];
  /** Authorization, token review and token issuing for the review APIs and TokenRequest. */
  security: SecurityServices;
}
