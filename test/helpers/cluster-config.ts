/** Parsing ClusterConfig text in tests: the header every file needs, and the errors a file produces. */
import * as assert from 'node:assert/strict';
import { ClusterConfigError, parseClusterConfig } from '../../src/cluster/config';

export const CONFIG_HEAD = 'apiVersion: kubelab.dev/v1alpha1\nkind: ClusterConfig\n';

/** The errors of CONFIG_HEAD + `yaml` (without their line suffix), or [] when it loads. */
export function configErrors(yaml: string): string[] {
  try {
    parseClusterConfig(`${CONFIG_HEAD}${yaml}\n`, 'test.yaml');
    return [];
  } catch (e) {
    assert.ok(e instanceof ClusterConfigError, String(e));
    return e.errors.map((m) => m.replace(/ \(line \d+\)$/, ''));
  }
}
