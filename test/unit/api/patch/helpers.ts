/** Assertion helpers for the patch tests: a thrown StatusError's code/reason/message (and hidden cause). */
import * as assert from 'node:assert/strict';
import { StatusError, type Status } from '../../../../src/api/status';

export function statusOf(fn: () => unknown): Status & { cause?: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    const cause = e.cause instanceof Error ? e.cause.message : undefined;
    return cause === undefined ? e.status : { ...e.status, cause };
  }
  assert.fail('expected the call to throw');
}

export const GENERIC_422 = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server rejected our request due to an error in our request',
  reason: 'Invalid',
  details: {},
  code: 422,
};

export function internal500(message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
}

export function badRequest400(message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 };
}
