/** getPhase: upstream's kubelet_pods_test.go TestPodPhaseWith* tables, on API container statuses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPhase } from '../../../../src/kubelet/status/phase';
import type { ApiContainerStatus, PodPhase } from '../../../../src/kubelet/status/types';

const base = (name: string, o: Partial<ApiContainerStatus>): ApiContainerStatus => ({ name, state: {}, lastState: {}, ready: false, restartCount: 0, image: '', imageID: '', ...o });
const waiting = (n: string) => base(n, { state: { waiting: {} } });
const waitingLastZero = (n: string) => base(n, { state: { waiting: {} }, lastState: { terminated: { exitCode: 0 } } });
const waitingLastNonZero = (n: string) => base(n, { state: { waiting: {} }, lastState: { terminated: { exitCode: -1 } } });
const running = (n: string) => base(n, { state: { running: {} } });
const started = (n: string) => base(n, { state: { running: {} }, started: true });
const stopped = (n: string) => base(n, { state: { terminated: { exitCode: 0 } } });
const succeeded = stopped;
const failed = (n: string) => base(n, { state: { terminated: { exitCode: -1 } } });

const spec = (restartPolicy: string, init: { name: string; restartPolicy?: string }[] = []) => ({
  metadata: { name: 'p' },
  spec: { restartPolicy, initContainers: init, containers: [{ name: 'containerA' }, { name: 'containerB' }] },
});

type Case = [string, ApiContainerStatus[], PodPhase, boolean?];

/** podHasInitialized as the tests' statuses imply it: a regular container ran. */
const ranRegular = (s: ApiContainerStatus[]) => s.some((c) => ['containerA', 'containerB'].includes(c.name) && (!!c.state.running || !!c.state.terminated));

function table(title: string, pod: Record<string, unknown>, cases: Case[]): void {
  describe(title, () => {
    for (const [name, statuses, want, terminal] of cases)
      it(name, () => assert.equal(getPhase(pod, statuses, terminal ?? false, ranRegular(statuses)), want));
  });
}

table('restartPolicy Always', spec('Always'), [
  ['waiting', [], 'Pending'],
  ['all running', [running('containerA'), running('containerB')], 'Running'],
  ['all stopped with restart always', [stopped('containerA'), stopped('containerB')], 'Running'],
  ['all succeeded with restart always, but the pod is terminal', [succeeded('containerA'), succeeded('containerB')], 'Succeeded', true],
  ['all stopped with restart always, but the pod is terminal', [succeeded('containerA'), failed('containerB')], 'Failed', true],
  ['mixed state #1 with restart always', [running('containerA'), stopped('containerB')], 'Running'],
  ['mixed state #2 with restart always', [running('containerA')], 'Pending'],
  ['mixed state #3 with restart always', [running('containerA'), waiting('containerB')], 'Pending'],
  ['backoff crashloop container with restart always', [running('containerA'), waitingLastZero('containerB')], 'Running'],
]);

table('restartPolicy Always, init containers', spec('Always', [{ name: 'containerX' }]), [
  ['empty, waiting', [], 'Pending'],
  ['init container running', [running('containerX')], 'Pending'],
  ['init container terminated non-zero', [failed('containerX')], 'Pending'],
  ['init container waiting, terminated zero', [waitingLastZero('containerX')], 'Pending'],
  ['init container waiting, terminated non-zero', [waitingLastNonZero('containerX')], 'Pending'],
  ['init container waiting, not terminated', [waiting('containerX')], 'Pending'],
  ['init container succeeded', [succeeded('containerX'), running('containerA'), running('containerB')], 'Running'],
]);

table('restartPolicy Always, restartable init containers', spec('Always', [{ name: 'containerX', restartPolicy: 'Always' }]), [
  ['empty, waiting', [], 'Pending'],
  ['restartable init container running', [running('containerX')], 'Pending'],
  ['restartable init container stopped', [stopped('containerX')], 'Pending'],
  ['restartable init container waiting, terminated zero', [waitingLastZero('containerX')], 'Pending'],
  ['restartable init container waiting, terminated non-zero', [waitingLastNonZero('containerX')], 'Pending'],
  ['restartable init container waiting, not terminated', [waiting('containerX')], 'Pending'],
  ['restartable init container started, 1/2 regular container running', [started('containerX'), running('containerA')], 'Pending'],
  ['restartable init container started, all regular containers running', [started('containerX'), running('containerA'), running('containerB')], 'Running'],
  ['restartable init container running, all regular containers running', [running('containerX'), running('containerA'), running('containerB')], 'Running'],
  ['restartable init container stopped, all regular containers running', [stopped('containerX'), running('containerA'), running('containerB')], 'Running'],
  ['backoff crashloop restartable init container, all regular containers running', [waitingLastZero('containerX'), running('containerA'), running('containerB')], 'Running'],
  ['all regular containers succeeded and restartable init container failed, pod terminal', [failed('containerX'), succeeded('containerA'), succeeded('containerB')], 'Succeeded', true],
  ['all regular containers succeeded and restartable init container succeeded, pod terminal', [succeeded('containerX'), succeeded('containerA'), succeeded('containerB')], 'Succeeded', true],
]);

table('restartPolicy Always, after the pod has run', {
  metadata: { name: 'p' },
  spec: { restartPolicy: 'Always', initContainers: [{ name: 'containerX' }, { name: 'containerY', restartPolicy: 'Always' }], containers: [{ name: 'containerA' }] },
}, [
  ['regular init containers, restartable init container and regular container are all running', [running('containerX'), running('containerY'), running('containerA')], 'Pending'],
  ['regular containers is stopped, restartable init container and regular int container are both running', [running('containerX'), running('containerY'), stopped('containerA')], 'Pending'],
  ['regular init container is succeeded, restartable init container is running, regular containers is stopped', [succeeded('containerX'), running('containerY'), stopped('containerA')], 'Running'],
  ['regular init container is succeeded, restartable init container and regular containers are both running', [succeeded('containerX'), running('containerY'), running('containerA')], 'Running'],
]);

table('restartPolicy Never', spec('Never'), [
  ['waiting', [], 'Pending'],
  ['all running with restart never', [running('containerA'), running('containerB')], 'Running'],
  ['all succeeded with restart never', [succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
  ['all failed with restart never', [failed('containerA'), failed('containerB')], 'Failed'],
  ['mixed state #1 with restart never', [running('containerA'), succeeded('containerB')], 'Running'],
  ['mixed state #2 with restart never', [running('containerA')], 'Pending'],
  ['mixed state #3 with restart never', [running('containerA'), waiting('containerB')], 'Pending'],
]);

table('restartPolicy Never, init containers', spec('Never', [{ name: 'containerX' }]), [
  ['empty, waiting', [], 'Pending'],
  ['init container running', [running('containerX')], 'Pending'],
  ['init container terminated non-zero', [failed('containerX')], 'Failed'],
  ['init container waiting, terminated zero', [waitingLastZero('containerX')], 'Pending'],
  ['init container waiting, terminated non-zero', [waitingLastNonZero('containerX')], 'Failed'],
  ['init container waiting, not terminated', [waiting('containerX')], 'Pending'],
  ['init container succeeded', [succeeded('containerX'), running('containerA'), running('containerB')], 'Running'],
]);

table('restartPolicy Never, restartable init containers', spec('Never', [{ name: 'containerX', restartPolicy: 'Always' }]), [
  ['empty, waiting', [], 'Pending'],
  ['restartable init container running', [running('containerX')], 'Pending'],
  ['restartable init container stopped', [stopped('containerX')], 'Pending'],
  ['restartable init container waiting, terminated zero', [waitingLastZero('containerX')], 'Pending'],
  ['restartable init container waiting, terminated non-zero', [waitingLastNonZero('containerX')], 'Pending'],
  ['restartable init container waiting, not terminated', [waiting('containerX')], 'Pending'],
  ['restartable init container started, one main container running', [started('containerX'), running('containerA')], 'Pending'],
  ['restartable init container started, main containers succeeded', [started('containerX'), succeeded('containerA'), succeeded('containerB')], 'Running'],
  ['restartable init container running, main containers succeeded', [running('containerX'), succeeded('containerA'), succeeded('containerB')], 'Running'],
  ['all containers succeeded', [succeeded('containerX'), succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
  ['restartable init container terminated non-zero, main containers succeeded', [failed('containerX'), succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
  ['backoff crashloop restartable init container, main containers succeeded', [waitingLastZero('containerX'), succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
  ['backoff crashloop with non-zero restartable init container, main containers succeeded', [waitingLastNonZero('containerX'), succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
]);

table('restartPolicy OnFailure', spec('OnFailure'), [
  ['waiting', [], 'Pending'],
  ['all running with restart onfailure', [running('containerA'), running('containerB')], 'Running'],
  ['all succeeded with restart onfailure', [succeeded('containerA'), succeeded('containerB')], 'Succeeded'],
  ['all failed with restart onfailure', [failed('containerA'), failed('containerB')], 'Running'],
  ['all failed with restart onfailure, but the pod is terminal', [failed('containerA'), failed('containerB')], 'Failed', true],
  ['mixed state #1 with restart onfailure', [running('containerA'), succeeded('containerB')], 'Running'],
  ['mixed state #2 with restart onfailure', [running('containerA')], 'Pending'],
  ['mixed state #3 with restart onfailure', [running('containerA'), waiting('containerB')], 'Pending'],
  ['backoff crashloop container with restart onfailure', [running('containerA'), waitingLastZero('containerB')], 'Running'],
]);

describe('static pods', () => {
  it('are never made terminal by the kubelet', () => {
    const pod = { metadata: { name: 'etcd', annotations: { 'kubernetes.io/config.source': 'file' } }, spec: { restartPolicy: 'Always', containers: [{ name: 'containerA' }] } };
    assert.equal(getPhase(pod, [failed('containerA')], true, true), 'Running');
  });
});
