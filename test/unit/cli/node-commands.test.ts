import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NODE_COMMANDS_HELP, parseNodeCommand, type NodeCommand } from '../../../src/cli/node-commands';

describe('parseNodeCommand', () => {
  const good: [string, NodeCommand][] = [
    ['', { kind: 'none' }],
    ['   ', { kind: 'none' }],
    ['help', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['nodes', { kind: 'nodes' }],
    ['  NODES  ', { kind: 'nodes' }],
    ['node add', { kind: 'node-add' }],
    ['node add gpu-1', { kind: 'node-add', name: 'gpu-1' }],
    ['node add --cpu 8 --memory 16Gi', { kind: 'node-add', cpu: '8', memory: '16Gi' }],
    ['node add big.example --memory=32Gi --cpu=500m', { kind: 'node-add', name: 'big.example', cpu: '500m', memory: '32Gi' }],
    ['node add --cpu 2 w9', { kind: 'node-add', name: 'w9', cpu: '2' }],
    ['node stop kubelab-worker2', { kind: 'node-stop', name: 'kubelab-worker2' }],
    ['Node Start kubelab-worker2', { kind: 'node-start', name: 'kubelab-worker2' }],
    ['node\tremove   kubelab-worker', { kind: 'node-remove', name: 'kubelab-worker' }],
  ];
  for (const [line, want] of good) it(`parses ${JSON.stringify(line)}`, () => assert.deepEqual(parseNodeCommand(line), { ok: true, command: want }));

  const bad: [string, RegExp][] = [
    ['foo', /^unknown command "foo"; type "help" for the list$/],
    ['node', /^node needs a subcommand: add, stop, start, remove/],
    ['node delete w1', /^unknown subcommand "delete" \(did you mean "remove"\?\); use one of: add, stop, start, remove$/],
    ['node list', /\(to list them, type "nodes"\)/],
    ['node stop', /^usage: node stop NAME$/],
    ['node start a b', /^usage: node start NAME$/],
    ['node remove Worker_1', /^invalid node name "Worker_1": a lowercase RFC 1123 subdomain must consist of/],
    ['node add Bad', /^invalid node name "Bad"/],
    ['node add a b', /^unexpected "b"; usage: node add \[NAME\] \[--cpu C\] \[--memory M\]$/],
    ['node add --cpu', /^--cpu needs a value, e\.g\. --cpu 2$/],
    ['node add --memory=', /^--memory needs a value, e\.g\. --memory 4Gi$/],
    ['node add --cpu lots', /^--cpu: invalid quantity "lots": quantities must match the regular expression/],
    ['node add --cpu 0', /^--cpu: must be greater than 0, not "0"$/],
    ['node add --memory -1Gi', /^--memory: must be greater than 0, not "-1Gi"$/],
    ['node add --cpu 1 --cpu 2', /^--cpu is given twice$/],
    ['node add --gpu 1', /^unknown flag "--gpu"; usage: node add/],
    ['nodes x', /^nodes takes no arguments/],
    ['help me', /^help takes no arguments$/],
  ];
  for (const [line, want] of bad) {
    it(`refuses ${JSON.stringify(line)}`, () => {
      const r = parseNodeCommand(line);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, want);
    });
  }

  it('the help text names every command', () => {
    for (const c of ['nodes', 'node add', 'node stop', 'node start', 'node remove', 'help']) assert.ok(NODE_COMMANDS_HELP.includes(c), c);
  });
});
