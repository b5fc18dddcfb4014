/**
 * Runs the authenticators in order (upstream's union authenticator with the AuthenticatedGroupAdder): the first
 * user wins and gets `system:authenticated` (unless it is `system:anonymous`); errors from the others are
 * collected. When nobody returns a user the result is `{ error }` (the caller answers 401 `Unauthorized`; the
 * message is for logs only). An `inProcessUser` (set only by the in-process transport for KubeLab's own
 * components) is accepted as is, before any authenticator runs. An authenticator that throws counts as an error.
 */
import type { UserInfo } from '../request';
import type { AuthnInput, Authenticator } from './types';
import { ANONYMOUS_USER, withAuthenticatedGroup } from './user';

export type UnionResult = { user: UserInfo; authenticator: string } | { error: string };

export async function authenticateRequest(authenticators: readonly Authenticator[], input: AuthnInput): Promise<UnionResult> {
  if (input.inProcessUser) return { user: input.inProcessUser, authenticator: 'in-process' };
  const errors: string[] = [];
  for (const a of authenticators) {
    let r;
    try {
      r = await a.authenticate(input);
    } catch (_e) {
      errors.push(`${a.name}: authenticator failed`);
      continue;
    }
    if (!r) continue;
    if ('error' in r) {
      errors.push(r.error);
      continue;
    }
    const user = r.user.name === ANONYMOUS_USER ? r.user : withAuthenticatedGroup(r.user);
    return { user, authenticator: a.name };
  }
  if (!errors.length) return { error: 'no credentials' };
  const unique = [...new Set(errors)];
  return { error: unique.length === 1 ? unique[0] : `[${unique.join(', ')}]` };
}
