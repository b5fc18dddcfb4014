/** InterPodAffinity PreFilter/Filter with upstream's table cases (filtering_test.go TestRequiredAffinitySingleNode,
 * TestRequiredAffinityMultipleNodes, namespaceSelector, AddPod/RemovePod). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CachedObject } from '../../../../src/client/informers';
import { podInfo, type Node, type NodeInfo, type Pod } from '../../../../src/scheduler/framework';
import { newInterPodAffinity, PRE_FILTER_STATE_KEY, type InterPodAffinity } from '../../../../src/scheduler/plugins/inter-pod-affinity';
import { fakeHandle, makeNode, makePod, newState, nodeInfo } from '../../../helpers/scheduler-fixtures';

type Term = { labelSelector?: unknown; topologyKey?: string; namespaces?: string[]; namespaceSelector?: unknown };
const expr = (key: string, operator: string, values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });
const sel = (...e: ReturnType<typeof expr>[]) => ({ matchExpressions: e });
const term = (labelSelector: unknown, topologyKey: string, extra: Partial<Term> = {}): Term => ({ labelSelector, topologyKey, ...extra });

function withAffinity(name: string, o: { labels?: Record<string, string>; node?: string; namespace?: string; affinity?: Term[]; anti?: Term[] }): Pod {
  const affinity: Record<string, unknown> = {};
  if (o.affinity) affinity.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: o.affinity };
  if (o.anti) affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: o.anti };
  return makePod(name, { labels: o.labels ?? {}, node: o.node, namespace: o.namespace, spec: Object.keys(affinity).length ? { affinity } : {} });
}
function bare(name: string, labels: Record<string, string>): Node {
  const n = makeNode(name);
  return { ...n, metadata: { ...n.metadata, labels } };
}

function setup(p: Pod, nodes: Node[], existing: Pod[], namespaces: CachedObject[] = []) {
  const infos: NodeInfo[] = nodes.map((n) => nodeInfo(n, ...existing.filter((e) => (e.spec as { nodeName?: string }).nodeName === n.metadata?.name)));
  const pl = newInterPodAffinity(undefined, fakeHandle({ nodes: infos, namespaces })) as InterPodAffinity;
  const state = newState();
  const pre = pl.preFilter(state, p, infos).status;
  return { pl, state, infos, pre };
}

/** Filter verdict per node as "Code: reason" (or "Success"; "Skip" when PreFilter skipped). */
function verdicts(p: Pod, nodes: Node[], existing: Pod[], namespaces?: CachedObject[]): Record<string, string> {
  const { pl, state, infos, pre } = setup(p, nodes, existing, namespaces);
  if (pre.code === 'Skip') return Object.fromEntries(infos.map((ni) => [ni.name, 'Skip']));
  assert.equal(pre.code, 'Success', pre.message());
  return Object.fromEntries(
    infos.map((ni) => {
      const s = pl.filter(state, p, ni);
      return [ni.name, s.isSuccess() ? 'Success' : `${s.code}: ${s.message()}`];
    }),
  );
}

const AFF = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const EXISTING = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

describe('InterPodAffinity Filter, single node (TestRequiredAffinitySingleNode)', () => {
  const podLabel = { service: 'securityscan' };
  const podLabel2 = { security: 'S1' };
  const node1 = () => bare('machine1', { region: 'r1', zone: 'z11' });
  const plainOn1 = () => makePod('e', { node: 'machine1', labels: podLabel });
  const cases: { name: string; pod: Pod; existing: Pod[]; want: string }[] = [
    { name: 'A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods', pod: makePod('p'), existing: [], want: 'Skip' },
    {
      name: 'satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod',
      pod: withAffinity('p', { labels: podLabel2, affinity: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'region')] }),
      existing: [plainOn1()],
      want: 'Success',
    },
    {
      name: 'satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod',
      pod: withAffinity('p', { labels: podLabel2, affinity: [term(sel(expr('service', 'NotIn', ['securityscan3', 'value3'])), 'region')] }),
      existing: [plainOn1()],
      want: 'Success',
    },
    {
      name: 'Does not satisfy the PodAffinity with labelSelector because of diff Namespace',
      pod: withAffinity('p', { labels: podLabel2, affinity: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'region', { namespaces: ['DiffNameSpace'] })] }),
      existing: [makePod('e', { node: 'machine1', labels: podLabel, namespace: 'ns' })],
      want: AFF,
    },
    {
      name: "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
      pod: withAffinity('p', { labels: podLabel, affinity: [term(sel(expr('service', 'In', ['antivirusscan', 'value2'])), 'region')] }),
      existing: [plainOn1()],
      want: AFF,
    },
    {
      name: 'satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution',
      pod: withAffinity('p', {
        labels: podLabel2,
        affinity: [term(sel(expr('service', 'Exists'), expr('wrongkey', 'DoesNotExist')), 'region'), term(sel(expr('service', 'In', ['securityscan']), expr('service', 'NotIn', ['WrongValue'])), 'region')],
      }),
      existing: [plainOn1()],
      want: 'Success',
    },
    {
      name: "The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.",
      pod: withAffinity('p', {
        labels: podLabel2,
        affinity: [term(sel(expr('service', 'Exists'), expr('wrongkey', 'DoesNotExist')), 'region'), term(sel(expr('service', 'In', ['securityscan2']), expr('service', 'NotIn', ['WrongValue'])), 'region')],
      }),
      existing: [plainOn1()],
      want: AFF,
    },
    {
      name: 'satisfies the PodAffinity and PodAntiAffinity with the existing pod',
      pod: withAffinity('p', { labels: podLabel2, affinity: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'region')], anti: [term(sel(expr('service', 'In', ['antivirusscan', 'value2'])), 'node')] }),
      existing: [plainOn1()],
      want: 'Success',
    },
    {
      name: 'satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod',
      pod: withAffinity('p', { labels: podLabel2, affinity: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'region')], anti: [term(sel(expr('service', 'In', ['antivirusscan', 'value2'])), 'node')] }),
      existing: [withAffinity('e', { node: 'machine1', labels: podLabel, anti: [term(sel(expr('service', 'In', ['antivirusscan', 'value2'])), 'node')] })],
      want: 'Success',
    },
    {
      name: "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
      pod: withAffinity('p', { labels: podLabel2, affinity: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'region')], anti: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'zone')] }),
      existing: [plainOn1()],
      want: ANTI,
    },
    {
      name: "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
      pod: withAffinity('p', { labels: podLabel, affinity: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'region')], anti: [term(sel(expr('service', 'In', ['antivirusscan', 'value2'])), 'node')] }),
      existing: [withAffinity('e', { node: 'machine1', labels: podLabel, anti: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'zone')] })],
      want: EXISTING,
    },
    {
      name: 'pod matches its own Label in PodAffinity and that matches the existing pod Labels',
      pod: withAffinity('p', { labels: podLabel, affinity: [term(sel(expr('service', 'NotIn', ['securityscan', 'value2'])), 'region')] }),
      existing: [makePod('e', { node: 'machine2', labels: podLabel })],
      want: AFF,
    },
    {
      name: "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
      pod: makePod('p', { labels: podLabel }),
      existing: [withAffinity('e', { node: 'machine1', labels: podLabel, anti: [term(sel(expr('service', 'In', ['securityscan', 'value2'])), 'zone')] })],
      want: EXISTING,
    },
    {
      name: 'verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod',
      pod: makePod('p', { labels: podLabel }),
      existing: [withAffinity('e', { node: 'machine1', labels: podLabel, anti: [term(sel(expr('service', 'NotIn', ['securityscan', 'value2'])), 'zone')] })],
      want: 'Skip',
    },
    {
      name: 'satisfies the PodAntiAffinity with existing pod but doesnt satisfy PodAntiAffinity symmetry with incoming pod',
      pod: withAffinity('p', { labels: podLabel, anti: [term(sel(expr('service', 'Exists')), 'region'), term(sel(expr('security', 'Exists')), 'region')] }),
      existing: [withAffinity('e', { node: 'machine1', labels: podLabel2, anti: [term(sel(expr('security', 'Exists')), 'zone')] })],
      want: ANTI,
    },
    {
      name: 'PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms',
      pod: withAffinity('p', { labels: podLabel, anti: [term(sel(expr('service', 'Exists')), 'zone'), term(sel(expr('security', 'Exists')), 'zone')] }),
      existing: [withAffinity('e', { node: 'machine1', labels: podLabel2, anti: [term(sel(expr('security', 'Exists')), 'zone')] })],
      want: ANTI,
    },
    {
      name: 'PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms (existing side)',
      pod: withAffinity('p', { labels: podLabel, anti: [term(sel(expr('security', 'DoesNotExist')), 'zone')] }),
      existing: [withAffinity('e', { node: 'machine1', labels: podLabel2, anti: [term(sel(expr('service', 'Exists')), 'zone')] })],
      want: EXISTING,
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(verdicts(c.pod, [node1()], c.existing).machine1, c.want));
});

describe('InterPodAffinity Filter, multiple nodes (TestRequiredAffinityMultipleNodes)', () => {
  const nodes = () => [bare('machine1', { region: 'r1', zone: 'z11', hostname: 'h1' }), bare('machine2', { region: 'r1', zone: 'z12', hostname: 'h2' }), bare('machine3', { region: 'r2', zone: 'z21', hostname: 'h3' })];
  const inRegion = (key = 'region') => [term(sel(expr('foo', 'In', ['bar'])), key)];

  it('A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules', () => {
    const p = withAffinity('p', { affinity: inRegion() });
    assert.deepEqual(verdicts(p, nodes(), [makePod('e', { node: 'machine1', labels: { foo: 'bar' } })]), { machine1: 'Success', machine2: 'Success', machine3: AFF });
  });

  it('The first pod of a self-affine group may go to any node holding the topology key (no pod matches yet)', () => {
    const p = withAffinity('p', { labels: { foo: 'bar' }, affinity: inRegion() });
    const ns = [...nodes(), bare('machine4', { zone: 'z99' })];
    assert.deepEqual(verdicts(p, ns, []), { machine1: 'Success', machine2: 'Success', machine3: 'Success', machine4: AFF });
  });

  it('…but not once another pod matches somewhere: then only its domain', () => {
    const p = withAffinity('p', { labels: { foo: 'bar' }, affinity: inRegion() });
    assert.deepEqual(verdicts(p, nodes(), [makePod('e', { node: 'machine3', labels: { foo: 'bar' } })]), { machine1: AFF, machine2: AFF, machine3: 'Success' });
  });

  it('a pod that does not match its own affinity stays pending in an empty cluster', () => {
    const p = withAffinity('p', { labels: { foo: 'baz' }, affinity: inRegion() });
    assert.deepEqual(verdicts(p, nodes(), []), { machine1: AFF, machine2: AFF, machine3: AFF });
  });

  it('anti-affinity on zone rejects only the matching zone; on region the whole region', () => {
    const e = [makePod('e', { node: 'machine1', labels: { foo: 'bar' } })];
    assert.deepEqual(verdicts(withAffinity('p', { anti: inRegion('zone') }), nodes(), e), { machine1: ANTI, machine2: 'Success', machine3: 'Success' });
    assert.deepEqual(verdicts(withAffinity('p', { anti: inRegion('region') }), nodes(), e), { machine1: ANTI, machine2: ANTI, machine3: 'Success' });
  });

  it("existing pods' anti-affinity (symmetry) blocks their whole domain", () => {
    const e = [withAffinity('e', { node: 'machine2', labels: {}, anti: [term(sel(expr('app', 'In', ['web'])), 'region')] })];
    assert.deepEqual(verdicts(makePod('p', { labels: { app: 'web' } }), nodes(), e), { machine1: EXISTING, machine2: EXISTING, machine3: 'Success' });
  });

  it('affinity: every topology key must exist on the node; all terms must be satisfied by one pod', () => {
    const p = withAffinity('p', { affinity: [term(sel(expr('foo', 'In', ['bar'])), 'region'), term(sel(expr('x', 'Exists')), 'zone')] });
    // e1 matches both terms; only nodes in its region AND zone pass.
    const e = [makePod('e1', { node: 'machine1', labels: { foo: 'bar', x: '' } })];
    assert.deepEqual(verdicts(p, nodes(), e), { machine1: 'Success', machine2: AFF, machine3: AFF });
  });
});

describe('InterPodAffinity namespaceSelector', () => {
  const namespaces = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'subteam1.team1', labels: { team: 'team1' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'subteam2.team1', labels: { team: 'team1' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'subteam1.team2', labels: { team: 'team2' } } },
  ];
  const nodes = () => [bare('node1', { region: 'r1' }), bare('node2', { region: 'r2' })];
  const teamSel = { matchExpressions: [{ key: 'team', operator: 'In', values: ['team1'] }] };

  it("the incoming pod's namespaceSelector selects pods of every matching namespace", () => {
    const p = withAffinity('p', { namespace: 'subteam1.team2', affinity: [term(sel(expr('foo', 'Exists')), 'region', { namespaceSelector: teamSel })] });
    const e = [makePod('e1', { node: 'node1', labels: { foo: '' }, namespace: 'subteam2.team1' })];
    assert.deepEqual(verdicts(p, nodes(), e, namespaces), { node1: 'Success', node2: AFF });
    const other = [makePod('e1', { node: 'node1', labels: { foo: '' }, namespace: 'subteam1.team2' })];
    assert.deepEqual(verdicts(p, nodes(), other, namespaces), { node1: AFF, node2: AFF });
  });

  it('an empty namespaceSelector selects every namespace', () => {
    const p = withAffinity('p', { anti: [term(sel(expr('foo', 'Exists')), 'region', { namespaceSelector: {} })] });
    const e = [makePod('e1', { node: 'node2', labels: { foo: '' }, namespace: 'elsewhere' })];
    assert.deepEqual(verdicts(p, nodes(), e, namespaces), { node1: 'Success', node2: ANTI });
  });

  it("an existing pod's anti-affinity namespaceSelector is matched against the incoming pod's namespace labels", () => {
    const e = [withAffinity('e', { node: 'node1', namespace: 'x', anti: [term(sel(expr('foo', 'Exists')), 'region', { namespaceSelector: teamSel })] })];
    assert.deepEqual(verdicts(makePod('p', { labels: { foo: '' }, namespace: 'subteam1.team1' }), nodes(), e, namespaces), { node1: EXISTING, node2: 'Success' });
    assert.deepEqual(verdicts(makePod('p', { labels: { foo: '' }, namespace: 'subteam1.team2' }), nodes(), e, namespaces), { node1: 'Skip', node2: 'Skip' });
  });
});

describe('InterPodAffinity PreFilter extensions (preemption)', () => {
  it('removing the only anti-affine pod frees the node in the clone only; adding it back blocks again', () => {
    const node = bare('n1', { zone: 'z1' });
    const victim = makePod('v', { node: 'n1', labels: { app: 'db' } });
    const p = withAffinity('p', { anti: [term(sel(expr('app', 'In', ['db'])), 'zone')] });
    const { pl, state, infos } = setup(p, [node], [victim]);
    assert.equal(pl.filter(state, p, infos[0]).code, 'Unschedulable');
    const clone = state.clone();
    assert.equal(pl.removePod(clone, p, podInfo(victim), infos[0]).code, 'Success');
    assert.equal(pl.filter(clone, p, infos[0]).code, 'Success');
    assert.equal(pl.filter(state, p, infos[0]).code, 'Unschedulable');
    pl.addPod(clone, p, podInfo(victim), infos[0]);
    assert.equal(pl.filter(clone, p, infos[0]).code, 'Unschedulable');
  });

  it("removing an existing pod whose anti-affinity selects the incoming pod lifts the symmetric rejection", () => {
    const node = bare('n1', { zone: 'z1' });
    const victim = withAffinity('v', { node: 'n1', anti: [term(sel(expr('app', 'In', ['web'])), 'zone')] });
    const p = makePod('p', { labels: { app: 'web' } });
    const { pl, state, infos } = setup(p, [node], [victim]);
    assert.equal(pl.filter(state, p, infos[0]).message(), "node(s) didn't satisfy existing pods anti-affinity rules");
    pl.removePod(state, p, podInfo(victim), infos[0]);
    assert.equal(pl.filter(state, p, infos[0]).code, 'Success');
  });

  it('adding a pod that matches the affinity satisfies it', () => {
    const nodes = [bare('n1', { zone: 'z1' }), bare('n2', { zone: 'z2' })];
    const p = withAffinity('p', { affinity: [term(sel(expr('app', 'In', ['db'])), 'zone')] });
    const { pl, state, infos } = setup(p, nodes, [makePod('db0', { node: 'n2', labels: { app: 'db' } })]);
    assert.equal(pl.filter(state, p, infos[0]).code, 'UnschedulableAndUnresolvable');
    pl.addPod(state, p, podInfo(makePod('db1', { node: 'n1', labels: { app: 'db' } })), infos[0]);
    assert.equal(pl.filter(state, p, infos[0]).code, 'Success');
    assert.ok(state.read(PRE_FILTER_STATE_KEY));
  });

  it('an invalid selector makes PreFilter UnschedulableAndUnresolvable', () => {
    const p = withAffinity('p', { affinity: [term(sel(expr('app', 'Bogus', ['x'])), 'zone')] });
    const { pre } = setup(p, [bare('n1', { zone: 'z1' })], []);
    assert.equal(pre.code, 'UnschedulableAndUnresolvable');
    assert.match(pre.message(), /^parsing pod: /);
  });
});
