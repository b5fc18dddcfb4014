/**
 * fast-check generators for the property tests that compare the optimized apply code with its reference versions:
 * Widget objects (every kind of field in fixtures.ts, plus the irregular input the walks must survive — duplicate
 * and unidentifiable list items, nulls, wrong types, undeclared fields), realistic Pods for the real built-in schema,
 * pairs of objects that share untouched subtrees (as a patch leaves them), and FieldsV1 objects canonical or not.
 */
import fc from 'fast-check';

const name = fc.constantFrom('a', 'b', 'c');
const scalar = fc.oneof(fc.constantFrom('a', 'b', '<&>', 'ü'), fc.integer({ min: -2, max: 3 }), fc.boolean(), fc.constant(null));

/** Mostly well-formed, sometimes not. */
const oftenArray = <T>(item: fc.Arbitrary<T>, maxLength = 4): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 5, arbitrary: fc.array(item, { maxLength }) }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant({}) });

const keyedItem = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name, value: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(null)) }, { requiredKeys: ['name'], noNullPrototype: true }) },
  { weight: 1, arbitrary: fc.record({ value: fc.integer({ min: 0, max: 2 }) }, { noNullPrototype: true }) },
  { weight: 1, arbitrary: scalar },
);

const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'x.y/z', 'ü'), fc.oneof(fc.constantFrom('web', 'db'), fc.constant(null)), { maxKeys: 3, noNullPrototype: true });

export const widgetArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    apiVersion: fc.constant('example.com/v1'),
    kind: fc.constant('Widget'),
    metadata: fc.record(
      {
        name: fc.constantFrom('w', 'v'),
        labels,
        annotations: fc.oneof(labels, fc.constant(null)),
        finalizers: oftenArray(fc.constantFrom('f1', 'f2', 'f3')),
        ownerReferences: oftenArray(fc.record({ uid: fc.constantFrom('u1', 'u2'), name, controller: fc.boolean() }, { requiredKeys: ['name'], noNullPrototype: true }), 2),
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
    list: oftenArray(keyedItem),
    listOfLists: oftenArray(fc.record({ name, value: oftenArray(fc.constantFrom('x', 'y', 'z'), 3) }, { requiredKeys: ['name'], noNullPrototype: true }), 3),
    mapOfMapsRecursive: fc.oneof(fc.dictionary(name, fc.oneof(fc.constant(null), fc.dictionary(name, fc.constant(null), { maxKeys: 2, noNullPrototype: true })), { maxKeys: 3, noNullPrototype: true }), scalar),
    struct: fc.oneof(fc.record({ name, value: fc.oneof(fc.integer({ min: 0, max: 1 }), fc.constant('x')) }, { requiredKeys: [], noNullPrototype: true }), fc.constant(null)),
    set: oftenArray(fc.oneof(fc.constantFrom('p', 'q', 'r'), fc.integer({ min: 0, max: 1 }), fc.constant(null))),
    atomicList: oftenArray(fc.constantFrom('s', 't')),
    atomicMap: fc.record({ a: fc.constantFrom('1', '2'), b: scalar }, { requiredKeys: [], noNullPrototype: true }),
    free: fc.jsonValue({ maxDepth: 2 }),
    legacyList: oftenArray(fc.record({ id: fc.constantFrom('i', 'j'), v: fc.constantFrom('1', '2') }, { requiredKeys: [], noNullPrototype: true }), 3),
    legacySet: oftenArray(fc.constantFrom('m', 'n')),
    wrappedAtomic: fc.record({ maxSurge: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant('25%')) }, { requiredKeys: [], noNullPrototype: true }),
    undeclared: scalar,
  },
  { requiredKeys: [], noNullPrototype: true },
);

/** Two values built from `a` and `b`: each map key (two levels deep) taken from either side, untouched parts shared. */
export function mixed(a: unknown, b: unknown, pick: readonly boolean[]): unknown {
  let i = 0;
  const take = (): boolean => pick[i++ % Math.max(1, pick.length)] ?? true;
  const mix = (x: unknown, y: unknown, depth: number): unknown => {
    if (depth > 1 || !isObj(x) || !isObj(y)) return take() ? x : y;
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const v = take() ? x[k] : depth === 0 && take() ? mix(x[k], y[k], depth + 1) : y[k];
      if (v !== undefined) out[k] = v;
    }
    return out;
  };
  return mix(a, b, 0);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A pair to compare: independent, identical, or sharing subtrees. */
export const pairArb = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<[unknown, unknown]> =>
  fc.oneof(
    fc.tuple(arb, arb),
    arb.map((a) => [a, a] as [unknown, unknown]),
    fc.tuple(arb, arb, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 })).map(([a, b, p]) => [a, mixed(a, b, p)] as [unknown, unknown]),
    arb.map((a) => [undefined, a] as [unknown, unknown]),
    arb.map((a) => [a, undefined] as [unknown, unknown]),
  );

const container = fc.record(
  {
    name: fc.constantFrom('nginx', 'sidecar', 'init'),
    image: fc.constantFrom('nginx:1', 'busybox'),
    ports: oftenArray(fc.record({ containerPort: fc.constantFrom(80, 443), protocol: fc.constantFrom('TCP', 'UDP'), name: fc.constantFrom('http', 'https') }, { requiredKeys: ['containerPort'], noNullPrototype: true }), 2),
    env: oftenArray(fc.record({ name: fc.constantFrom('A', 'B'), value: fc.constantFrom('1', '2') }, { requiredKeys: ['name'], noNullPrototype: true }), 2),
    resources: fc.record({ requests: fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.constantFrom('100m', '1Gi'), { maxKeys: 2, noNullPrototype: true }) }, { requiredKeys: [], noNullPrototype: true }),
    args: fc.array(fc.constantFrom('-v', '--x'), { maxLength: 2 }),
  },
  { requiredKeys: ['name'], noNullPrototype: true },
);

/** Pods for the real built-in schema. */
export const podArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Pod'),
    metadata: fc.record({ name: fc.constant('p'), namespace: fc.constant('default'), labels, annotations: labels, finalizers: fc.array(fc.constantFrom('f1', 'f2'), { maxLength: 2 }) }, { requiredKeys: ['name'], noNullPrototype: true }),
    spec: fc.record(
      {
        containers: oftenArray(container, 3),
        restartPolicy: fc.constantFrom('Always', 'Never'),
        nodeName: fc.constantFrom('n1', 'n2'),
        tolerations: fc.array(fc.record({ key: fc.constantFrom('k1', 'k2'), operator: fc.constant('Exists') }, { noNullPrototype: true }), { maxLength: 2 }),
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
    status: fc.record(
      {
        phase: fc.constantFrom('Pending', 'Running'),
        conditions: oftenArray(fc.record({ type: fc.constantFrom('Ready', 'PodScheduled'), status: fc.constantFrom('True', 'False'), lastProbeTime: fc.constant(null) }, { requiredKeys: ['type'], noNullPrototype: true }), 3),
        podIPs: fc.array(fc.record({ ip: fc.constantFrom('10.0.0.1', '10.0.0.2') }, { noNullPrototype: true }), { maxLength: 2 }),
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
  },
  { requiredKeys: ['metadata'], noNullPrototype: true },
);

const keyArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('f:a', 'f:b', 'f:spec', 'f:x.y/z', 'f:ü', 'f:') },
  { weight: 3, arbitrary: fc.constantFrom('k:{"name":"a"}', 'k:{"name":"b"}', 'k:{"port":1,"protocol":"TCP"}', 'k:{"protocol":"TCP","port":1}', 'k:{"name":"\\u003c"}', 'k:{"name":"<"}') },
  { weight: 3, arbitrary: fc.constantFrom('v:"a"', 'v:1', 'v:1.0', 'v:true', 'v:"\\u0026"', 'v:"&"') },
  { weight: 2, arbitrary: fc.constantFrom('i:0', 'i:1', 'i:+1', 'i:10') },
  { weight: 2, arbitrary: fc.constant('.') },
  { weight: 1, arbitrary: fc.constantFrom('x:unknown', 'k:[1]', 'i:x', 'v:{bad', 'q', 'f') },
);

/** FieldsV1-shaped objects: canonical encodings and hand-made variations (order, spelling, `"."`, bad keys). */
export const fieldsV1Arb: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 4, arbitrary: fc.array(fc.tuple(keyArb, tie('node')), { maxLength: 4 }).map((kv) => Object.fromEntries(kv)) },
    { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.constant('x'), fc.constant([])) },
  ),
})).node;
