import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { copyDeploymentAnnotations, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations } from '../../../../src/controllers/deployment/annotations';
import { deployment, replicaSet } from './fake-env';

const REV = 'deployment.kubernetes.io/revision';
const HIST = 'deployment.kubernetes.io/revision-history';

test('copyDeploymentAnnotations copies change-cause and others, never the skipped keys', () => {
  const d = deployment({ replicas: 1 });
  d.metadata!.annotations = { 'kubernetes.io/change-cause': 'kubectl set image', 'kubectl.kubernetes.io/last-applied-configuration': '{}', [REV]: '7', 'deployment.kubernetes.io/desired-replicas': '9', x: 'y' };
  const rs = replicaSet('a', 1);
  assert.equal(copyDeploymentAnnotations(d, rs), true);
  assert.deepEqual(rs.metadata?.annotations, { 'kubernetes.io/change-cause': 'kubectl set image', x: 'y' });
  assert.equal(copyDeploymentAnnotations(d, rs), false);
});

test('setNewReplicaSetAnnotations: revision raised only when lower; rollback keeps earlier revisions in revision-history', () => {
  const d = deployment({ replicas: 3, maxSurge: 1 });
  const fresh = replicaSet('n', 0);
  assert.equal(setNewReplicaSetAnnotations(d, fresh, '1', false, 2000), true);
  assert.deepEqual(fresh.metadata?.annotations, { [REV]: '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });

  const rolledBack = replicaSet('o', 1, { revision: '1' });
  assert.equal(setNewReplicaSetAnnotations(d, rolledBack, '3', true, 2000), true);
  assert.equal(rolledBack.metadata?.annotations?.[REV], '3');
  assert.equal(rolledBack.metadata?.annotations?.[HIST], '1');
  setNewReplicaSetAnnotations(d, rolledBack, '5', true, 2000);
  assert.equal(rolledBack.metadata?.annotations?.[HIST], '1,3');
  assert.equal(setNewReplicaSetAnnotations(d, rolledBack, '4', true, 2000), false, 'a higher revision is kept');
  assert.equal(rolledBack.metadata?.annotations?.[REV], '5');

  const long = replicaSet('l', 1, { revision: '100' });
  long.metadata!.annotations![HIST] = '10,11,12';
  setNewReplicaSetAnnotations(d, long, '101', true, 8);
  assert.equal(long.metadata?.annotations?.[HIST], '12,100', 'oldest entries dropped to stay within the limit');

  const bad = replicaSet('b', 1, { revision: 'x' });
  assert.equal(setNewReplicaSetAnnotations(d, bad, '2', true, 2000), false);
});

test('replicas annotations', () => {
  const rs = replicaSet('a', 1);
  assert.equal(replicasAnnotationsNeedUpdate(rs, 3, 4), true);
  assert.equal(setReplicasAnnotations(rs, 3, 4), true);
  assert.equal(replicasAnnotationsNeedUpdate(rs, 3, 4), false);
  assert.equal(setReplicasAnnotations(rs, 3, 4), false);
  assert.equal(replicasAnnotationsNeedUpdate(rs, 3, 5), true);
});
