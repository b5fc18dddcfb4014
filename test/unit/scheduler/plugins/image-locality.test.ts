import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeInfo, type Node, type NodeScore, type Pod } from '../../../../src/scheduler/framework';
import { familiarImageName, fullyQualifiedImageName, newImageLocality, normalizedImageName } from '../../../../src/scheduler/plugins/image-locality';
import { scorePair, fakeHandle, makeNode, newState } from '../../../helpers/scheduler-fixtures';

const mb = 1024 * 1024;
type Image = { names: string[]; sizeBytes: number };

/** NodeInfos with imageStates as the scheduler cache builds them (size per name, numNodes having the name). */
function nodeInfos(nodes: Node[]): NodeInfo[] {
  const count = new Map<string, number>();
  const imagesOf = (n: Node) => ((n.status as { images?: Image[] }).images ?? []);
  for (const n of nodes) for (const name of new Set(imagesOf(n).flatMap((i) => i.names))) count.set(name, (count.get(name) ?? 0) + 1);
  return nodes.map((n) => {
    const ni = new NodeInfo(n);
    for (const img of imagesOf(n)) for (const name of img.names) ni.imageStates.set(name, { size: img.sizeBytes, numNodes: count.get(name)! });
    return ni;
  });
}

const podWith = (images: string[], initImages: string[] = []): Pod =>
  ({ metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })), initContainers: initImages.map((image, i) => ({ name: `i${i}`, image })) } }) as Pod;

const node403002000 = [
  { names: ['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], sizeBytes: 40 * mb },
  { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * mb },
  { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * mb },
];
const node25010 = [
  { names: ['gcr.io/250:latest'], sizeBytes: 250 * mb },
  { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * mb },
];

function scores(pod: Pod, nodes: Node[], runPreScore = true): NodeScore[] {
  const infos = nodeInfos(nodes);
  const p = newImageLocality(undefined, fakeHandle({ nodes: infos }));
  const state = newState();
  if (runPreScore) assert.ok(p.preScore(state, pod, infos).isSuccess());
  return infos.map((ni) => {
    const r = scorePair(p.score(state, pod, ni));
    assert.ok(r.status.isSuccess());
    return { name: ni.name, score: r.score };
  });
}

describe('ImageLocality Score (upstream TestImageLocalityPriority)', () => {
  it('two images spread on two nodes, prefer the larger image one', () => {
    // machine1: 40M/2 < 23M → 0; machine2: 100 * (250M/2 - 23M) / (1000M * 2 - 23M) = 5
    assert.deepEqual(scores(podWith(['gcr.io/40', 'gcr.io/250']), [makeNode('machine1', { images: node403002000 }), makeNode('machine2', { images: node25010 })]), [
      { name: 'machine1', score: 0 },
      { name: 'machine2', score: 5 },
    ]);
  });
  it('two images on one node, prefer this node', () => {
    // machine1: 100 * ((40M + 300M)/2 - 23M) / (1000M * 2 - 23M) = 7
    assert.deepEqual(scores(podWith(['gcr.io/40', 'gcr.io/300']), [makeNode('machine1', { images: node403002000 }), makeNode('machine2', { images: node25010 })]), [
      { name: 'machine1', score: 7 },
      { name: 'machine2', score: 0 },
    ]);
  });
  it('if exceed limit, use limit', () => {
    // machine1: 100 * (2000M/2 - 23M) / (1000M * 2 - 23M) = 49; machine2: 10M/2 < 23M → 0
    assert.deepEqual(scores(podWith(['gcr.io/10', 'gcr.io/2000']), [makeNode('machine1', { images: node403002000 }), makeNode('machine2', { images: node25010 })]), [
      { name: 'machine1', score: 49 },
      { name: 'machine2', score: 0 },
    ]);
  });
  it('if exceed limit, use limit (with node which has no images present)', () => {
    // machine1: 100 * (2000M/3 - 23M) / (1000M * 2 - 23M) = 32
    assert.deepEqual(scores(podWith(['gcr.io/10', 'gcr.io/2000']), [makeNode('machine1', { images: node403002000 }), makeNode('machine2', { images: node25010 }), makeNode('machine3')]), [
      { name: 'machine1', score: 32 },
      { name: 'machine2', score: 0 },
      { name: 'machine3', score: 0 },
    ]);
  });
  it('init containers count too (threshold grows with every container)', () => {
    // machine1: (300M + 2000M)/2 = 1150M over 2 containers: 100 * (1150M - 23M) / (2000M - 23M) = 57
    assert.deepEqual(scores(podWith(['gcr.io/2000'], ['gcr.io/300']), [makeNode('machine1', { images: node403002000 }), makeNode('machine2', { images: node25010 })]), [
      { name: 'machine1', score: 57 },
      { name: 'machine2', score: 0 },
    ]);
  });
  it('same result without PreScore', () => {
    assert.deepEqual(scores(podWith(['gcr.io/40', 'gcr.io/300']), [makeNode('machine1', { images: node403002000 }), makeNode('machine2', { images: node25010 })], false)[0].score, 7);
  });
  it('a pod saying nginx finds a node reporting docker.io/library/nginx:latest, and the reverse', () => {
    // 100 * (500M - 23M) / (1000M - 23M) = 48
    const qualified = makeNode('m1', { images: [{ names: ['docker.io/library/nginx:latest'], sizeBytes: 500 * mb }] });
    assert.equal(scores(podWith(['nginx']), [qualified])[0].score, 48);
    const familiar = makeNode('m1', { images: [{ names: ['nginx:1.25'], sizeBytes: 500 * mb }] });
    assert.equal(scores(podWith(['docker.io/library/nginx:1.25']), [familiar])[0].score, 48);
    assert.equal(scores(podWith(['nginx:1.26']), [familiar])[0].score, 0);
  });
});

describe('image names', () => {
  const digest = 'sha256:4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2';
  const cases: [string, string, string][] = [
    ['add :latest postfix 1', 'root', 'root:latest'],
    ['add :latest postfix 2', 'gcr.io:5000/root', 'gcr.io:5000/root:latest'],
    ['keep it as is 1', 'root:tag', 'root:tag'],
    ['keep it as is 2', `root@${digest}`, `root@${digest}`],
  ];
  for (const [name, input, want] of cases) it(`normalizedImageName (upstream TestNormalizedImageName): ${name}`, () => assert.equal(normalizedImageName(input), want));

  it('fully qualified and familiar forms', () => {
    assert.equal(fullyQualifiedImageName('nginx:latest'), 'docker.io/library/nginx:latest');
    assert.equal(fullyQualifiedImageName('me/app:1'), 'docker.io/me/app:1');
    assert.equal(fullyQualifiedImageName('gcr.io/x/y:1'), 'gcr.io/x/y:1');
    assert.equal(fullyQualifiedImageName('localhost/x:1'), 'localhost/x:1');
    assert.equal(fullyQualifiedImageName('index.docker.io/library/nginx:1'), 'docker.io/library/nginx:1');
    assert.equal(familiarImageName('docker.io/library/nginx:latest'), 'nginx:latest');
    assert.equal(familiarImageName('docker.io/me/app:1'), 'me/app:1');
    assert.equal(familiarImageName('gcr.io/x:1'), 'gcr.io/x:1');
  });
});
