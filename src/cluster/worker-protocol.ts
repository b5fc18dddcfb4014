/**
 * The messages between a cluster worker thread (src/cluster/worker-main.ts) and its owner
 * (src/cluster/cluster-worker.ts): start with options, the started cluster's facts, connections (each a
 * MessagePort carrying the message-port transport for one client token), status and node commands, stop.
 */
import type { ClusterConfig } from './config';
import type { ClusterStatus } from './main';
import type { LogRecord } from '../base/logger';

export interface WorkerStartOptions {
  dataDir: string;
  port?: number;
  config?: ClusterConfig;
  /** Directory holding sql-wasm.wasm (the extension's dist/). */
  wasmDir?: string;
  /** Log level of the cluster's log lines sent to the owner (default info). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface StartedInfo {
  url: string;
  port: number;
  kubeconfig: string;
  adminToken: string;
  caCert: string;
  dataDir: string;
  addonPorts: { dns: number; ingress: number };
  addonProblems: readonly string[];
}

export type NodeCommand = { op: 'add'; name?: string } | { op: 'remove' | 'stop' | 'start'; name: string };

export type OwnerMessage =
  | { t: 'start'; options: WorkerStartOptions }
  | { t: 'connect'; port: unknown; token: string; omitManagedFields?: boolean }
  | { t: 'registry'; port: unknown }
  | { t: 'status'; id: number }
  | { t: 'node'; id: number; command: NodeCommand }
  | { t: 'stop' };

export type WorkerMessage =
  | { t: 'progress'; step: string }
  | { t: 'started'; info: StartedInfo }
  | { t: 'failed'; message: string }
  | { t: 'log'; record: LogRecord }
  | { t: 'reply'; id: number; ok: boolean; value?: ClusterStatus | string; error?: string }
  | { t: 'stopped' };
