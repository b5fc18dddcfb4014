/**
 * The ingress routing table: the Kubernetes documentation's path matching examples (concepts/services-networking/
 * ingress, "Examples" table), host rules (precise, one-label wildcard, catch-all), defaultBackend, class filtering,
 * merging several Ingresses the way ingress-nginx does (oldest wins a conflict), and properties of Prefix matching.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { HTTPIngressPath, Ingress, IngressRule } from 'kubernetes-types/networking/v1';
import { hostMatches, normalizeHost, prefixMatches, requestPath, RouteTable, servesIngress, sortIngresses, type ClassFilter } from '../../../../src/addons/ingress/routes';

const OURS: ClassFilter = { className: 'kubelab', classIsDefault: true };

const path = (p: string, pathType: string, service: string, port: number | string = 80): HTTPIngressPath => ({
  path: p,
  pathType,
  backend: { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } },
});

function ingress(name: string, rules: IngressRule[], extra: { created?: string; ns?: string; defaultBackend?: string; className?: string | null; annotations?: Record<string, string> } = {}): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: extra.ns ?? 'default', creationTimestamp: extra.created ?? '2024-01-01T00:00:00Z', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      ...(extra.className === null ? {} : { ingressClassName: extra.className ?? 'kubelab' }),
      ...(extra.defaultBackend ? { defaultBackend: { service: { name: extra.defaultBackend, port: { number: 80 } } } } : {}),
      rules,
    },
  };
}

/** The service a request reaches through one Ingress with these paths on host `h`, or undefined (404). */
function route(paths: HTTPIngressPath[], url: string, defaultBackend?: string): string | undefined {
  const table = RouteTable.build([ingress('ing', [{ host: 'h.example', http: { paths } }], { defaultBackend })], OURS);
  return table.match('h.example', url)?.backend.service;
}

describe('path matching: the Kubernetes documentation examples', () => {
  // [kind, rule paths (path, type), request path, the rule path that must win or undefined for no match]
  type Row = [string, [string, string][], string, string | undefined];
  const rows: Row[] = [
    ['Prefix', [['/', 'Prefix']], '/anything/at/all', '/'],
    ['Prefix', [['/', 'Prefix']], '/', '/'],
    ['Exact', [['/foo', 'Exact']], '/foo', '/foo'],
    ['Exact', [['/foo', 'Exact']], '/bar', undefined],
    ['Exact', [['/foo', 'Exact']], '/foo/', undefined],
    ['Exact', [['/foo/', 'Exact']], '/foo', undefined],
    ['Prefix', [['/foo', 'Prefix']], '/foo', '/foo'],
    ['Prefix', [['/foo', 'Prefix']], '/foo/', '/foo'],
    ['Prefix', [['/foo/', 'Prefix']], '/foo', '/foo/'],
    ['Prefix', [['/foo/', 'Prefix']], '/foo/', '/foo/'],
    ['Prefix', [['/aaa/bb', 'Prefix']], '/aaa/bbb', undefined],
    ['Prefix', [['/aaa/bbb', 'Prefix']], '/aaa/bbb', '/aaa/bbb'],
    ['Prefix (ignores trailing slash)', [['/aaa/bbb/', 'Prefix']], '/aaa/bbb', '/aaa/bbb/'],
    ['Prefix (matches trailing slash)', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/', '/aaa/bbb'],
    ['Prefix (matches subpath)', [['/aaa/bbb', 'Prefix']], '/aaa/bbb/ccc', '/aaa/bbb'],
    ['Prefix (not a string prefix)', [['/aaa/bbb', 'Prefix']], '/aaa/bbbxyz', undefined],
    ['Prefix (matches /aaa)', [['/', 'Prefix'], ['/aaa', 'Prefix']], '/aaa/ccc', '/aaa'],
    ['Prefix (matches /aaa/bbb)', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/aaa/bbb', '/aaa/bbb'],
    ['Prefix (matches /)', [['/', 'Prefix'], ['/aaa', 'Prefix'], ['/aaa/bbb', 'Prefix']], '/ccc', '/'],
    ['Prefix (no match: default backend)', [['/aaa', 'Prefix']], '/ccc', undefined],
    ['Mixed (prefers Exact)', [['/foo', 'Prefix'], ['/foo', 'Exact']], '/foo', '/foo Exact'],
    ['Mixed (Exact listed first, still Exact)', [['/foo', 'Exact'], ['/foo', 'Prefix']], '/foo', '/foo Exact'],
    ['Mixed (Exact does not match, Prefix does)', [['/foo', 'Prefix'], ['/foo', 'Exact']], '/foo/x', '/foo'],
    ['query string is not part of the path', [['/foo', 'Exact']], '/foo?x=1', '/foo Exact'],
    ['ImplementationSpecific is Prefix here', [['/foo', 'ImplementationSpecific']], '/foo/bar', '/foo'],
    ['ImplementationSpecific is element-wise', [['/foo', 'ImplementationSpecific']], '/foobar', undefined],
    ['ImplementationSpecific with empty path is /', [['', 'ImplementationSpecific']], '/x', ''],
    ['case-sensitive', [['/Foo', 'Prefix']], '/foo', undefined],
  ];
  for (const [kind, rules, req, want] of rows) {
    it(`${kind}: ${rules.map(([p, t]) => `${p || '""'} (${t})`).join(', ')} ← ${req}`, () => {
      // Each rule path gets its own service, named after it, so the winner is visible.
      const svc = (p: string, t: string) => `s${rules.findIndex(([rp, rt]) => rp === p && rt === t)}`;
      const got = route(rules.map(([p, t]) => path(p, t, svc(p, t))), req);
      if (want === undefined) return assert.equal(got, undefined);
      const [wp, wt] = want.includes(' ') ? want.split(' ') : [want, undefined];
      const idx = rules.findIndex(([p, t]) => p === wp && (wt === undefined || t === wt));
      assert.equal(got, `s${idx}`);
    });
  }
  it('no match falls to the Ingress defaultBackend', () => assert.equal(route([path('/aaa', 'Prefix', 'a')], '/ccc', 'fallback'), 'fallback'));
});

describe('host matching', () => {
  const table = RouteTable.build(
    [
      ingress('hosts', [
        { host: 'foo.bar.com', http: { paths: [path('/', 'Prefix', 'precise')] } },
        { host: '*.bar.com', http: { paths: [path('/', 'Prefix', 'wildcard')] } },
        { http: { paths: [path('/any', 'Prefix', 'hostless')] } },
      ]),
    ],
    OURS,
  );
  const cases: [string, string, string | undefined][] = [
    ['foo.bar.com', '/', 'precise'],
    ['FOO.bar.com:8080', '/', 'precise'],
    ['foo.bar.com.', '/', 'precise'],
    ['baz.bar.com', '/', 'wildcard'],
    ['bar.com', '/any', 'hostless'],
    ['a.baz.bar.com', '/any', 'hostless'],
    ['a.baz.bar.com', '/', undefined],
    ['other.example', '/any/x', 'hostless'],
    ['', '/any', 'hostless'],
    ['127.0.0.1:80', '/any', 'hostless'],
    // A host with its own server does not fall through to the catch-all server's rules.
    ['foo.bar.com', '/nothing-here-but-root-matches', 'precise'],
  ];
  for (const [host, url, want] of cases) it(`${host || '(no Host)'} ${url} → ${want ?? '404'}`, () => assert.equal(table.match(host, url)?.backend.service, want));

  it('a precise host server without a matching path answers 404, not the catch-all rules', () => {
    const t = RouteTable.build([ingress('x', [{ host: 'a.example', http: { paths: [path('/api', 'Prefix', 'api')] } }, { http: { paths: [path('/', 'Prefix', 'all')] } }])], OURS);
    assert.equal(t.match('a.example', '/web'), undefined);
    assert.equal(t.match('b.example', '/web')?.backend.service, 'all');
  });

  const hostCases: [string, string, boolean][] = [
    ['*.foo.com', 'bar.foo.com', true],
    ['*.foo.com', 'baz.bar.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['*.foo.com', '.foo.com', false],
    ['foo.com', 'foo.com', true],
    ['foo.com', 'bar.foo.com', false],
  ];
  for (const [rule, host, want] of hostCases) it(`hostMatches(${rule}, ${host}) = ${want}`, () => assert.equal(hostMatches(rule, host), want));

  it('normalizeHost strips the port (IPv6 too) and lower-cases', () => {
    assert.equal(normalizeHost('A.Example:80'), 'a.example');
    assert.equal(normalizeHost('[::1]:8080'), '[::1]');
    assert.equal(normalizeHost('a.example'), 'a.example');
    assert.equal(requestPath('/a/b?c=d#e'), '/a/b');
    assert.equal(requestPath(''), '/');
  });
});

describe('class filter', () => {
  const cases: [string, Ingress, ClassFilter, boolean][] = [
    ['our class name', ingress('a', [], { className: 'kubelab' }), OURS, true],
    ['another class name', ingress('a', [], { className: 'nginx' }), OURS, false],
    ['legacy annotation, ours', ingress('a', [], { className: null, annotations: { 'kubernetes.io/ingress.class': 'kubelab' } }), OURS, true],
    ['legacy annotation, other', ingress('a', [], { className: null, annotations: { 'kubernetes.io/ingress.class': 'nginx' } }), OURS, false],
    ['no class, ours is default', ingress('a', [], { className: null }), OURS, true],
    ['no class, ours is not default', ingress('a', [], { className: null }), { className: 'kubelab', classIsDefault: false }, false],
  ];
  for (const [name, ing, filter, want] of cases) it(name, () => assert.equal(servesIngress(ing, filter), want));

  it('Ingresses of other classes are not routed', () => {
    const t = RouteTable.build([ingress('theirs', [{ host: 'a.example', http: { paths: [path('/', 'Prefix', 'x')] } }], { className: 'nginx' })], OURS);
    assert.equal(t.match('a.example', '/'), undefined);
    assert.deepEqual(t.ingresses, []);
  });
});

describe('several Ingresses (ingress-nginx merge)', () => {
  const older = ingress('older', [{ host: 'a.example', http: { paths: [path('/', 'Prefix', 'old'), path('/old', 'Prefix', 'old-only')] } }], { created: '2024-01-01T00:00:00Z' });
  const newer = ingress('newer', [{ host: 'a.example', http: { paths: [path('/', 'Prefix', 'new'), path('/new', 'Exact', 'new-only')] } }], { created: '2024-02-01T00:00:00Z' });

  it('the same host + path: the older Ingress wins, whatever the list order; the conflict is reported', () => {
    for (const list of [[older, newer], [newer, older]]) {
      const t = RouteTable.build(list, OURS);
      assert.equal(t.match('a.example', '/x')?.backend.service, 'old');
      assert.equal(t.match('a.example', '/x')?.ingress, 'default/older');
      assert.equal(t.match('a.example', '/old/1')?.backend.service, 'old-only');
      assert.equal(t.match('a.example', '/new')?.backend.service, 'new-only');
      assert.equal(t.conflicts.length, 1);
      assert.match(t.conflicts[0], /default\/newer.*already defined by Ingress default\/older/);
      assert.deepEqual(t.ingresses, ['default/older', 'default/newer']);
    }
  });

  it('Prefix and ImplementationSpecific of the same path are one location (first wins)', () => {
    const b = ingress('b', [{ host: 'a.example', http: { paths: [path('/p', 'ImplementationSpecific', 'impl')] } }], { created: '2024-02-01T00:00:00Z' });
    const a = ingress('a', [{ host: 'a.example', http: { paths: [path('/p/', 'Prefix', 'prefix')] } }], { created: '2024-01-01T00:00:00Z' });
    assert.equal(RouteTable.build([b, a], OURS).match('a.example', '/p/q')?.backend.service, 'prefix');
  });

  it('equal creation times: namespace/name descending (ingress-nginx sortIngressSlice)', () => {
    const x = ingress('x', [], { ns: 'a' });
    const y = ingress('y', [], { ns: 'a' });
    const z = ingress('a', [], { ns: 'b' });
    assert.deepEqual(sortIngresses([x, y, z]).map((i) => `${i.metadata!.namespace}/${i.metadata!.name}`), ['b/a', 'a/y', 'a/x']);
  });

  it("a host's fallback is the defaultBackend of the Ingress that created the host", () => {
    const first = ingress('first', [{ host: 'a.example', http: { paths: [path('/api', 'Prefix', 'api')] } }], { created: '2024-01-01T00:00:00Z' });
    const second = ingress('second', [{ host: 'a.example', http: { paths: [path('/web', 'Prefix', 'web')] } }], { created: '2024-02-01T00:00:00Z', defaultBackend: 'second-default' });
    const t = RouteTable.build([first, second], OURS);
    assert.equal(t.match('a.example', '/other'), undefined);
    const t2 = RouteTable.build([ingress('first', first.spec!.rules!, { created: '2024-01-01T00:00:00Z', defaultBackend: 'first-default' }), second], OURS);
    assert.equal(t2.match('a.example', '/other')?.backend.service, 'first-default');
    assert.equal(t2.match('a.example', '/web/x')?.backend.service, 'web');
  });

  it('the catch-all fallback is the oldest Ingress with a defaultBackend and no rules', () => {
    const rulesAndDefault = ingress('r', [{ host: 'a.example', http: { paths: [path('/', 'Prefix', 'a')] } }], { created: '2023-01-01T00:00:00Z', defaultBackend: 'r-default' });
    const onlyDefault1 = ingress('d1', [], { created: '2024-01-01T00:00:00Z', defaultBackend: 'd1' });
    const onlyDefault2 = ingress('d2', [], { created: '2024-02-01T00:00:00Z', defaultBackend: 'd2' });
    const t = RouteTable.build([onlyDefault2, rulesAndDefault, onlyDefault1], OURS);
    assert.equal(t.match('unknown.example', '/')?.backend.service, 'd1');
    assert.equal(t.match('a.example', '/')?.backend.service, 'a');
    assert.equal(RouteTable.build([rulesAndDefault], OURS).match('unknown.example', '/'), undefined);
  });

  it('named ports and non-Service backends', () => {
    const ing = ingress('n', [{ host: 'a.example', http: { paths: [path('/', 'Prefix', 'named', 'http'), { path: '/r', pathType: 'Prefix', backend: { resource: { apiGroup: 'x.io', kind: 'Bucket', name: 'b' } } }] } }]);
    const t = RouteTable.build([ing], OURS);
    assert.deepEqual(t.match('a.example', '/')?.backend, { namespace: 'default', service: 'named', port: 'http' });
    assert.equal(t.match('a.example', '/r')?.backend.service, 'named');
    assert.match(t.conflicts[0], /no Service backend/);
  });
});

describe('Prefix matching properties', () => {
  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const segs = fc.array(segment, { minLength: 0, maxLength: 4 });
  it('a rule path matches itself and every sub-path, with or without trailing slashes', () => {
    fc.assert(
      fc.property(segs, segs, fc.boolean(), fc.boolean(), (rule, rest, slashRule, slashReq) => {
        const r = `/${rule.join('/')}${slashRule && rule.length ? '/' : ''}`;
        const q = `/${[...rule, ...rest].join('/')}${slashReq ? '/' : ''}`;
        return prefixMatches(r, q);
      }),
    );
  });
  it('extending the last element never matches (not a string prefix)', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), segment, (rule, extra) => {
        const q = `/${rule.join('/')}${extra}`;
        return !prefixMatches(`/${rule.join('/')}`, q);
      }),
    );
  });
});
