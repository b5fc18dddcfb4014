/**
 * The Deployment timeline from the event sequence a `kubectl create deployment web --image=nginx` produces, worded
 * as the deployment controller, PodControl, the scheduler and the kubelet word them.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/api/object';
import { initialPanelState, reduceAll, type PanelAction, type PanelState } from '../../../../src/ui/events/reducer';
import { deploymentTimeline } from '../../../../src/ui/events/timeline';
import { timelineView } from '../../../../src/ui/events/view-model';
import { MIN, NOW, SEC, at, event, pod, workload } from './fixtures';

const T0 = NOW - 2 * MIN;
const DEP_UID = 'dep-web-2';
const RS = 'web-7d4b9c';
const RS_UID = 'rs-web-2';
const POD = 'web-7d4b9c-x2x4z';
const POD_UID = 'pod-web-2';

/** The events of one creation, `offset` seconds after T0 each. */
function chain(o: { depUid: string; rs: string; pod: string; podUid: string; base: number; uidPrefix: string }): KubeObject[] {
  const t = (s: number) => at(o.base, s * SEC);
  return [
    event({ uid: `${o.uidPrefix}1`, kind: 'Deployment', name: 'web', involvedUid: o.depUid, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${o.rs} to 1`, component: 'deployment-controller', first: t(0) }),
    event({ uid: `${o.uidPrefix}2`, kind: 'ReplicaSet', name: o.rs, reason: 'SuccessfulCreate', message: `Created pod: ${o.pod}`, component: 'replicaset-controller', first: t(0) }),
    event({ uid: `${o.uidPrefix}3`, kind: 'Pod', name: o.pod, involvedUid: o.podUid, reason: 'Scheduled', message: `Successfully assigned default/${o.pod} to node-1`, component: 'default-scheduler', first: t(1) }),
    event({ uid: `${o.uidPrefix}4`, kind: 'Pod', name: o.pod, involvedUid: o.podUid, reason: 'Pulling', message: 'Pulling image "nginx"', first: t(1) }),
    event({ uid: `${o.uidPrefix}5`, kind: 'Pod', name: o.pod, involvedUid: o.podUid, reason: 'Pulled', message: 'Successfully pulled image "nginx" in 2.1s (2.1s including waiting). Image size: 1 bytes.', first: t(3) }),
    event({ uid: `${o.uidPrefix}6`, kind: 'Pod', name: o.pod, involvedUid: o.podUid, reason: 'Created', message: 'Created container: nginx', first: t(3) }),
    event({ uid: `${o.uidPrefix}7`, kind: 'Pod', name: o.pod, involvedUid: o.podUid, reason: 'Started', message: 'Started container nginx', first: t(4) }),
  ];
}

function state(actions: PanelAction[]): PanelState {
  return reduceAll(initialPanelState(), actions);
}

const summary = (s: PanelState) => timelineView(s)?.steps.map((x) => `${x.step}${x.done ? ` ${x.at}` : ' -'}`.trim());

describe('deployment timeline', () => {
  it('follows Deployment → ReplicaSet → Pod → Scheduled → Pulled → Started with offsets from the creation', () => {
    const s = state([
      { type: 'deployments', upserts: [workload('Deployment', { name: 'web', uid: DEP_UID, created: at(T0, 0) })] },
      { type: 'events', upserts: chain({ depUid: DEP_UID, rs: RS, pod: POD, podUid: POD_UID, base: T0, uidPrefix: 'e' }) },
    ]);
    assert.deepEqual(summary(s), ['Deployment +0s', 'ReplicaSet +0s', 'Pod +0s', 'Scheduled +1s', 'Pulled +3s', 'Started +4s']);
    const t = timelineView(s)!;
    assert.deepEqual(t.deployment, { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' });
    assert.equal(t.steps[1]!.detail, `Scaled up replica set ${RS} to 1`);
    assert.deepEqual(t.steps[1]!.ref, { kind: 'ReplicaSet', namespace: 'default', name: RS, apiVersion: 'apps/v1' });
    assert.equal(t.steps[2]!.detail, `Created pod: ${POD}`);
    assert.deepEqual(t.steps[3]!.ref, { kind: 'Pod', namespace: 'default', name: POD, apiVersion: 'v1' });
  });

  it('shows the steps not reached yet', () => {
    const events = chain({ depUid: DEP_UID, rs: RS, pod: POD, podUid: POD_UID, base: T0, uidPrefix: 'e' }).slice(0, 3);
    const s = state([{ type: 'deployments', upserts: [workload('Deployment', { name: 'web', uid: DEP_UID, created: at(T0, 0) })] }, { type: 'events', upserts: events }]);
    assert.deepEqual(summary(s), ['Deployment +0s', 'ReplicaSet +0s', 'Pod +0s', 'Scheduled +1s', 'Pulled -', 'Started -']);
    const only = state([{ type: 'deployments', upserts: [workload('Deployment', { name: 'web', uid: DEP_UID, created: at(T0, 0) })] }]);
    assert.deepEqual(summary(only), ['Deployment +0s', 'ReplicaSet -', 'Pod -', 'Scheduled -', 'Pulled -', 'Started -']);
  });

  it('takes the newest Deployment, and ignores the events of an earlier Deployment of the same name', () => {
    const earlier = T0 - 10 * MIN;
    const s = state([
      { type: 'events', upserts: chain({ depUid: 'dep-web-1', rs: RS, pod: 'web-7d4b9c-old11', podUid: 'pod-web-1', base: earlier, uidPrefix: 'old' }) },
      { type: 'deployments', upserts: [workload('Deployment', { name: 'other', uid: 'dep-other', created: at(earlier, 5 * SEC) })] },
      { type: 'deployments', upserts: [workload('Deployment', { name: 'web', uid: DEP_UID, created: at(T0, 0) })] },
      { type: 'events', upserts: chain({ depUid: DEP_UID, rs: RS, pod: POD, podUid: POD_UID, base: T0, uidPrefix: 'e' }).slice(0, 4) },
    ]);
    const t = deploymentTimeline(s)!;
    assert.equal(t.uid, DEP_UID);
    assert.equal(t.steps[2]!.detail, `Created pod: ${POD}`, 'the same ReplicaSet name, but only the SuccessfulCreate after this creation');
    assert.deepEqual(summary(s), ['Deployment +0s', 'ReplicaSet +0s', 'Pod +0s', 'Scheduled +1s', 'Pulled -', 'Started -']);
  });

  it('without the events, finds the ReplicaSet and Pod through ownerReferences', () => {
    const s = state([
      { type: 'deployments', upserts: [workload('Deployment', { name: 'web', uid: DEP_UID, created: at(T0, 0) })] },
      { type: 'replicaSets', upserts: [workload('ReplicaSet', { name: RS, uid: RS_UID, created: at(T0, 1 * SEC), owner: { name: 'web', uid: DEP_UID } })] },
      { type: 'pods', upserts: [pod({ name: POD, uid: POD_UID, created: at(T0, 2 * SEC), owner: { kind: 'ReplicaSet', name: RS, uid: RS_UID } })] },
    ]);
    assert.deepEqual(summary(s), ['Deployment +0s', 'ReplicaSet +1s', 'Pod +2s', 'Scheduled -', 'Pulled -', 'Started -']);
  });

  it('without a Deployment object, starts from the newest ScalingReplicaSet event (creation time unknown)', () => {
    const s = state([{ type: 'events', upserts: chain({ depUid: DEP_UID, rs: RS, pod: POD, podUid: POD_UID, base: T0, uidPrefix: 'e' }) }]);
    assert.deepEqual(summary(s), ['Deployment', 'ReplicaSet +0s', 'Pod +0s', 'Scheduled +1s', 'Pulled +3s', 'Started +4s']);
  });

  it('is undefined when there is no Deployment at all', () => {
    assert.equal(timelineView(state([{ type: 'events', upserts: [event({ uid: 'x', reason: 'Scheduled' })] }])), undefined);
  });

  it('is memoized on the state', () => {
    const s = state([{ type: 'events', upserts: chain({ depUid: DEP_UID, rs: RS, pod: POD, podUid: POD_UID, base: T0, uidPrefix: 'e' }) }]);
    assert.equal(deploymentTimeline(s), deploymentTimeline(s));
  });
});
