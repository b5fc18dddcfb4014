/** The API conformance suite over the in-process transport (the handler chain called directly), against a fresh KubeLab cluster. */
import { after, before } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { apiConformance } from './api.conformance';

let cluster: TestCluster | undefined;

before(async () => {
  cluster = await startTestCluster();
});

after(async () => {
  await cluster?.stop();
});

apiConformance('in-process', (token) => {
  if (!cluster) throw new Error('the test cluster did not start');
  return cluster.inProcess(token);
});
