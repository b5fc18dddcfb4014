/**
 * A pure parser for the lines typed on stdin while the headless cluster runs:
 *   nodes | node add [NAME] [--cpu C] [--memory M] | node stop NAME | node start NAME | node remove NAME | help
 * parseNodeCommand(line) returns { ok: true, command } (a discriminated union on `kind`) or { ok: false, error } with
 * a message ready to print. Words are separated by blanks; command words are case-insensitive; node names must be
 * DNS-1123 subdomains; --cpu/--memory must be positive quantities (also `--cpu=2`). A blank line is
 * { kind: 'none' }. The caller carries the commands out (the cluster's node API) and prints NODE_COMMANDS_HELP.
 */
import { Quantity } from '../api/quantity';
import { isDNS1123Subdomain } from '../api/selectors/label-validation';

export type NodeCommand =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'nodes' }
  | { kind: 'node-add'; name?: string; cpu?: string; memory?: string }
  | { kind: 'node-stop'; name: string }
  | { kind: 'node-start'; name: string }
  | { kind: 'node-remove'; name: string };

export type ParsedCommand = { ok: true; command: NodeCommand } | { ok: false; error: string };

export const NODE_COMMANDS_HELP = `Commands (type them while the cluster runs):
  nodes                                      list the nodes
  node add [NAME] [--cpu C] [--memory M]     add a worker (default name: the next kubelab-workerN)
  node stop NAME                             stop the node's kubelet (its heartbeats stop; the node goes NotReady)
  node start NAME                            start the node's kubelet again
  node remove NAME                           delete the node and its kubelet
  help                                       this text
Ctrl-C stops the cluster.`;

const ok = (command: NodeCommand): ParsedCommand => ({ ok: true, command });
const fail = (error: string): ParsedCommand => ({ ok: false, error });
const SUBCOMMANDS = ['add', 'stop', 'start', 'remove'];
const USAGE: Record<string, string> = {
  add: 'node add [NAME] [--cpu C] [--memory M]',
  stop: 'node stop NAME',
  start: 'node start NAME',
  remove: 'node remove NAME',
};

function nameError(name: string): string | undefined {
  const errs = isDNS1123Subdomain(name);
  return errs.length ? `invalid node name ${JSON.stringify(name)}: ${errs.join('; ')}` : undefined;
}

function quantityError(flag: string, value: string): string | undefined {
  let q: Quantity;
  try {
    q = Quantity.parse(value);
  } catch (e) {
    return `${flag}: invalid quantity ${JSON.stringify(value)}: ${(e as Error).message}`;
  }
  return q.sign() > 0 ? undefined : `${flag}: must be greater than 0, not ${JSON.stringify(value)}`;
}

function parseAdd(args: string[]): ParsedCommand {
  const out: { kind: 'node-add'; name?: string; cpu?: string; memory?: string } = { kind: 'node-add' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-')) {
      const eq = a.indexOf('=');
      const flag = eq < 0 ? a : a.slice(0, eq);
      if (flag !== '--cpu' && flag !== '--memory') return fail(`unknown flag ${JSON.stringify(flag)}; usage: ${USAGE.add}`);
      const key = flag === '--cpu' ? 'cpu' : 'memory';
      if (out[key] !== undefined) return fail(`${flag} is given twice`);
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (value === undefined || value === '') return fail(`${flag} needs a value, e.g. ${flag === '--cpu' ? '--cpu 2' : '--memory 4Gi'}`);
      const err = quantityError(flag, value);
      if (err) return fail(err);
      out[key] = value;
      continue;
    }
    if (out.name !== undefined) return fail(`unexpected ${JSON.stringify(a)}; usage: ${USAGE.add}`);
    const err = nameError(a);
    if (err) return fail(err);
    out.name = a;
  }
  return ok(out);
}

/** Parse one typed line. */
export function parseNodeCommand(line: string): ParsedCommand {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return ok({ kind: 'none' });
  const [first, ...rest] = words;
  const cmd = first.toLowerCase();
  if (cmd === 'help' || cmd === '?') return rest.length ? fail('help takes no arguments') : ok({ kind: 'help' });
  if (cmd === 'nodes') return rest.length ? fail(`nodes takes no arguments; to act on one node use: node stop|start|remove NAME`) : ok({ kind: 'nodes' });
  if (cmd !== 'node') return fail(`unknown command ${JSON.stringify(first)}; type "help" for the list`);
  if (!rest.length) return fail(`node needs a subcommand: ${SUBCOMMANDS.join(', ')} (or type "nodes" to list them)`);
  const sub = rest[0].toLowerCase();
  const args = rest.slice(1);
  if (sub === 'add') return parseAdd(args);
  if (sub === 'stop' || sub === 'start' || sub === 'remove') {
    if (args.length !== 1) return fail(`usage: ${USAGE[sub]}`);
    const err = nameError(args[0]);
    if (err) return fail(err);
    return ok({ kind: `node-${sub}`, name: args[0] });
  }
  const hint = sub === 'delete' || sub === 'rm' ? ' (did you mean "remove"?)' : sub === 'list' || sub === 'ls' ? ' (to list them, type "nodes")' : '';
  return fail(`unknown subcommand ${JSON.stringify(rest[0])}${hint}; use one of: ${SUBCOMMANDS.join(', ')}`);
}
