/**
 * What the review and token handlers need from the request pipeline: the authorizer (and its rule lister), token
 * authentication for TokenReview, and the ServiceAccount token signer for TokenRequest. The API server fills it from
 * its Pipeline.
 */
import type { AuthzAttributes, AuthzResult, RulesReview } from '../authz/types';
import type { UserInfo } from '../request';

export interface IssueTokenOptions {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  node?: { name: string; uid: string };
  expirationSeconds: number;
  audiences?: string[];
}

export interface SecurityServices {
  authorize(a: AuthzAttributes): AuthzResult;
  rulesFor(user: UserInfo, namespace: string): RulesReview;
  /** TokenReview: who a bearer token belongs to. */
  authenticateToken(token: string, audiences: string[] | undefined): Promise<{ user: UserInfo; audiences: string[] } | { error: string }>;
  /** TokenRequest: a signed ServiceAccount token and its expiry (ms). */
  issueToken(o: IssueTokenOptions): { token: string; expiresAt: number; audiences: string[] };
}
