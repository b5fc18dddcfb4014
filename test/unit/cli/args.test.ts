import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCli } from '../../../src/cli/args';
import { clusterConfigFromCli } from '../../../src/cli/cluster-config';

describe('parseCli: cluster flags', () => {
  it('gives only the flags that were set', () => {
    assert.deepEqual(parseCli([]), { dataDir: path.join(os.homedir(), '.kubelab'), help: false });
    assert.deepEqual(parseCli(['--data-dir', '/d', '--config', 'c.yaml', '--nodes', '10', '--time-scale', '0.5', '--port', '0']), {
      dataDir: '/d',
      config: path.resolve('c.yaml'),
      nodes: 10,
      timeScale: 0.5,
      port: 0,
      help: false,
    });
    assert.equal(parseCli(['--config', '~/k.yaml']).config, path.join(os.homedir(), 'k.yaml'));
    assert.equal(parseCli(['--nodes=0']).nodes, 0);
    assert.equal(parseCli(['--time-scale', '1000']).timeScale, 1000);
    assert.equal(parseCli(['--time-scale', '.01']).timeScale, 0.01);
    assert.equal(parseCli(['--time-scale', '1e-3']).timeScale, 0.001);
  });

  const bad: [string[], RegExp][] = [
    [['--nodes', '5001'], /^--nodes must be a whole number from 0 to 5000, not "5001"$/],
    [['--nodes', '-1'], /--nodes/],
    [['--nodes', '2.5'], /^--nodes must be a whole number from 0 to 5000, not "2.5"$/],
    [['--nodes', ''], /^--nodes must be a whole number/],
    [['--time-scale', '0'], /^--time-scale must be a number greater than 0 and at most 1000, not "0"$/],
    [['--time-scale', '1001'], /^--time-scale must be a number greater than 0 and at most 1000, not "1001"$/],
    [['--time-scale', 'fast'], /^--time-scale must be a number/],
    [['--time-scale', 'Infinity'], /^--time-scale must be a number/],
    [['--time-scale', '0x10'], /^--time-scale must be a number/],
    [['--config', ''], /^--config must name a file$/],
    [['--config'], /Option '--config <value>' argument missing[\s\S]*Usage: npm start/],
    [['--port', '65536'], /^--port must be a whole number from 0 to 65535, not "65536"$/],
  ];
  for (const [argv, want] of bad) {
    it(`refuses ${argv.join(' ')}`, () => assert.throws(() => parseCli(argv), (e: Error) => want.test(e.message)));
  }
});

describe('clusterConfigFromCli', () => {
  it('defaults without --config; flags override the file', () => {
    assert.equal(clusterConfigFromCli({}).config.nodes.length, 4);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-cli-cfg-'));
    try {
      const file = path.join(dir, 'c.yaml');
      fs.writeFileSync(file, 'apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\nport: 7000\ntimeScale: 2\nworkers: { count: 1, template: { runtime: process } }\n');
      const fromFile = clusterConfigFromCli({ config: file });
      assert.equal(fromFile.config.port, 7000);
      assert.equal(fromFile.config.timeScale, 2);
      assert.deepEqual(fromFile.warnings, ['node kubelab-worker runs containers as real local processes (runtime: process)']);
      const over = clusterConfigFromCli({ config: file, port: 0, nodes: 2, timeScale: 0.5 });
      assert.equal(over.config.port, 0);
      assert.equal(over.config.timeScale, 0.5);
      assert.equal(over.config.nodes.length, 3);
      assert.equal(over.warnings.length, 2);
      assert.throws(() => clusterConfigFromCli({ config: path.join(dir, 'none.yaml') }), /none\.yaml: cannot read the cluster configuration: no such file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
