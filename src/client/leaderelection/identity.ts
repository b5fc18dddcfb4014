/**
 * The identity a component campaigns with, as kube-controller-manager and kube-scheduler build it:
 * `<hostname>_<uuid>` (the uuid keeps two processes on one host apart).
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';

export function leaderElectionIdentity(hostname: string = os.hostname(), uuid: string = randomUUID()): string {
  return `${hostname}_${uuid}`;
}
