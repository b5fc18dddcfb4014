/** The API conformance suite over the HTTPS transport (what kubectl uses), against a fresh KubeLab cluster. */
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

apiConformance('https', (token) => {
  if (!cluster) throw new Error('the test cluster did not start');
  return cluster.https(token);
});
