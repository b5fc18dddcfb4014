/**
 * How the process runtime turns a ContainerSpec into a process, as pure functions:
 * - argv: command then args, run directly (no shell unless command[0] is one). A spec without a command cannot run:
 *   the image's entrypoint is unknown without a registry (noCommand → FailedPrecondition).
 * - environment: exactly the spec's env (a later entry of one name wins, as in the kubelet), plus two defaults when
 *   the spec does not set them: PATH = the host's PATH (the program runs on the host, where its binaries are; the
 *   container default /usr/local/sbin:… when the host has none) and HOME = the container's own directory. Nothing
 *   else of the kubelab process's environment reaches the program.
 * - directories: each container gets rootDir/<sandboxId>/<containerId>. spec.workingDir is resolved INSIDE that
 *   directory ("/app" → <dir>/app, "../../etc" → <dir>/etc): the result never leaves it.
 */
import * as path from 'node:path';
import { failedPrecondition, type RuntimeError } from '../errors';
import type { ContainerSpec } from '../runtime';

/** The PATH containers get when nothing else says (the OCI default). */
export const CONTAINER_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SpawnPlan {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** The container's directory (its HOME unless the spec sets one). */
  dir: string;
  /** Where the program starts: dir, or spec.workingDir resolved inside dir. */
  cwd: string;
}

/** rootDir/<sandboxId>/<containerId>; ids are the runtime's own (hex), so nothing in them can climb out. */
export function containerDir(rootDir: string, sandboxId: string, containerId: string): string {
  return path.join(path.resolve(rootDir), safeSegment(sandboxId), safeSegment(containerId));
}

export function sandboxDir(rootDir: string, sandboxId: string): string {
  return path.join(path.resolve(rootDir), safeSegment(sandboxId));
}

/** spec.workingDir inside dir: both absolute and relative paths are taken from dir as "/"; ".." stops at dir. */
export function confinedWorkingDir(dir: string, workingDir: string | undefined): string {
  if (!workingDir) return dir;
  const inside = path.posix.resolve('/', workingDir.replace(/\\/g, '/'));
  const segments = inside.split('/').filter((s) => s !== '');
  const resolved = path.join(dir, ...segments);
  if (!isInside(dir, resolved)) throw new Error(`working directory ${workingDir} escapes ${dir}`);
  return resolved;
}

/** The program's environment: the spec's env, then PATH and HOME when it sets neither. */
export function processEnv(spec: ContainerSpec, home: string, hostPath: string | undefined = process.env.PATH): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of spec.env ?? []) env[e.name] = e.value;
  if (!('PATH' in env)) env.PATH = hostPath || CONTAINER_DEFAULT_PATH;
  if (!('HOME' in env)) env.HOME = home;
  return env;
}

/** The FailedPrecondition createContainer rejects with for a spec without a command. */
export function noCommand(spec: ContainerSpec): RuntimeError {
  const args = spec.args?.length ? ' (it has args, but they only make sense after the image\'s entrypoint)' : '';
  return failedPrecondition(
    `container "${spec.name}" has no command${args}: the process runtime runs the command of the pod spec as a local ` +
      `process and cannot know the entrypoint of image "${spec.image}" without a registry; set command in the container spec`,
  );
}

export function spawnPlan(spec: ContainerSpec, dir: string, hostPath?: string): SpawnPlan {
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
  if (!spec.command?.length) throw noCommand(spec);
  return { file: argv[0], args: argv.slice(1), env: processEnv(spec, dir, hostPath), dir, cwd: confinedWorkingDir(dir, spec.workingDir) };
}

/** Whether p is dir or lies under it. */
export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function safeSegment(id: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(id) || id === '.' || id === '..') throw new Error(`not a safe directory name: ${JSON.stringify(id)}`);
  return id;
}
