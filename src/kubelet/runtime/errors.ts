/**
 * The one error type a ContainerRuntime rejects with. `reason` is what the kubelet reports as the container's
 * waiting reason or uses to decide (ErrImagePull → ImagePullBackOff; InvalidImageName is not retried by a pull);
 * `message` is the text that reaches users (events, container status), worded as upstream.
 */
export type RuntimeErrorReason =
  | 'ErrImagePull'
  | 'InvalidImageName'
  | 'ErrImageNeverPull'
  | 'NotFound'
  | 'FailedPrecondition'
  | 'ConnectionRefused'
  | 'DeadlineExceeded';

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(
    readonly reason: RuntimeErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export const isRuntimeError = (e: unknown, reason?: RuntimeErrorReason): e is RuntimeError =>
  e instanceof RuntimeError && (reason === undefined || e.reason === reason);

/** The kubelet's wording for a reference that does not parse (pkg/kubelet/images). */
export const invalidImageName = (image: string, parseError: string): RuntimeError =>
  new RuntimeError('InvalidImageName', `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${parseError}`);

/** containerd's wording (through CRI) for a repository the registry does not have. */
export const repositoryNotFound = (normalized: string): RuntimeError =>
  new RuntimeError(
    'ErrImagePull',
    `rpc error: code = Unknown desc = failed to pull and unpack image "${normalized}": failed to resolve reference ` +
      `"${normalized}": pull access denied, repository does not exist or may require authorization: server message: ` +
      'insufficient_scope: authorization failed',
  );

/** containerd's wording (through CRI) for a tag or digest the repository does not have. */
export const manifestNotFound = (normalized: string): RuntimeError =>
  new RuntimeError(
    'ErrImagePull',
    `rpc error: code = NotFound desc = failed to pull and unpack image "${normalized}": failed to resolve reference ` +
      `"${normalized}": ${normalized}: not found`,
  );

/** The kubelet's wording when imagePullPolicy is Never and the image is absent. */
export const neverPull = (image: string): RuntimeError =>
  new RuntimeError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);

export const notFound = (what: 'container' | 'sandbox' | 'image', id: string): RuntimeError =>
  new RuntimeError('NotFound', `rpc error: code = NotFound desc = an error occurred when try to find ${what} "${id}": not found`);

export const failedPrecondition = (message: string): RuntimeError =>
  new RuntimeError('FailedPrecondition', `rpc error: code = FailedPrecondition desc = ${message}`);

/** What a probe's dial reports when nothing listens on the port (Go's net wording); host may be empty. */
export const connectionRefused = (port: number, host = ''): RuntimeError =>
  new RuntimeError('ConnectionRefused', `dial tcp ${host}:${port}: connect: connection refused`);

/** containerd's wording (through CRI ExecSync) when an exec'd command outlives its timeout. */
export const execTimedOut = (timeoutMs: number): RuntimeError =>
  new RuntimeError(
    'DeadlineExceeded',
    `rpc error: code = DeadlineExceeded desc = failed to exec in container: timeout ${timeoutMs / 1000}s exceeded: context deadline exceeded`,
  );
