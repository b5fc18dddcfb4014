/**
 * The ContainerStatus a runtime reports for one of its containers, built the same way by every runtime from the
 * container's record: exit fields only once exited, startedAt once started, message when there is one.
 */
import type { ContainerSpec, ContainerState, ContainerStatus, ExitReason } from './runtime';

export interface ContainerRecord {
  readonly id: string;
  readonly sandboxId: string;
  readonly spec: ContainerSpec;
  readonly imageId: string;
  readonly state: ContainerState;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly exitCode?: number;
  readonly reason?: ExitReason;
  readonly message?: string;
}

export function statusOf(c: ContainerRecord): ContainerStatus {
  const s: ContainerStatus = {
    id: c.id,
    sandboxId: c.sandboxId,
    name: c.spec.name,
    image: c.spec.image,
    imageId: c.imageId,
    state: c.state,
    createdAt: c.createdAt,
  };
  if (c.startedAt !== undefined) s.startedAt = c.startedAt;
  if (c.state === 'exited') Object.assign(s, { finishedAt: c.finishedAt, exitCode: c.exitCode, reason: c.reason });
  if (c.message !== undefined) s.message = c.message;
  return s;
}
