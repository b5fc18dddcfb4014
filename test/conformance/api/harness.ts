/** What every part of the API conformance suite gets: clients of the server under test and fresh namespaces. */
import type { Transport } from '../../../src/client/transport';
import type { Api } from '../../helpers/api-assert';

export interface ApiHarness {
  /** The admin client (valid inside tests). */
  readonly api: Api;
  /** Another client of the same server, authenticating with `token` (admin when omitted). */
  transport(token?: string): Transport;
  /** Creates a fresh namespace and returns its name. */
  namespace(prefix?: string): Promise<string>;
}

/** Per-test options: generous bounds, so a hang fails one test instead of the whole file. */
export const T = { timeout: 20_000 };
