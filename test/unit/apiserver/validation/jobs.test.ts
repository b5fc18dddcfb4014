/**
 * batch/v1 Job validation (create, update, status): generated selector and labels, restartPolicy OnFailure|Never,
 * counts and completion modes, and the update rules (selector, template — scheduling directives excepted while
 * suspended and never started — completions and completionMode are immutable).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateJobSelector } from '../../../../src/api/defaults';
import { validateCreate, validateStatusUpdate, validateUpdate } from '../../../../src/apiserver/validation';
import { MSG, gvk, stored, texts, variant, type Any, type CreateCase } from './helpers';

const JOB = gvk('batch', 'Job');
const RP = 'spec.template.spec.restartPolicy';

function job(edit: (j: Any) => void = () => {}): Any {
  const j = variant(
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: 'u-1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } },
    JOB,
    edit,
  );
  generateJobSelector(j);
  return j;
}

describe('Job create', () => {
  const cases: CreateCase[] = [
    { name: 'a defaulted job with a generated selector is valid', edit: () => {}, want: [] },
    {
      name: 'restartPolicy defaulted to Always is refused',
      edit: (j) => delete j.spec.template.spec.restartPolicy,
      want: [`${RP}: Required value: valid values: "OnFailure", "Never"`],
    },
    { name: 'restartPolicy Always is refused', edit: (j) => (j.spec.template.spec.restartPolicy = 'Always'), want: [`${RP}: Required value: valid values: "OnFailure", "Never"`] },
    { name: 'restartPolicy OnFailure is fine', edit: (j) => (j.spec.template.spec.restartPolicy = 'OnFailure'), want: [] },
    {
      name: 'an unknown restartPolicy fails the pod spec and the job rule',
      edit: (j) => (j.spec.template.spec.restartPolicy = 'Sometimes'),
      want: [`${RP}: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`, `${RP}: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"`],
    },
    {
      name: 'podFailurePolicy needs restartPolicy Never',
      edit: (j) => {
        j.spec.template.spec.restartPolicy = 'OnFailure';
        j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
      },
      want: [`${RP}: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`],
    },
    {
      name: 'counts are non-negative; per-index limits need Indexed mode',
      edit: (j) => Object.assign(j.spec, { parallelism: -1, backoffLimitPerIndex: 1 }),
      want: [`spec.parallelism: Invalid value: -1: ${MSG.negative}`, 'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'],
    },
    {
      name: 'activeDeadlineSeconds and backoffLimit non-negative',
      edit: (j) => Object.assign(j.spec, { activeDeadlineSeconds: -5, backoffLimit: -1 }),
      want: [`spec.activeDeadlineSeconds: Invalid value: -5: ${MSG.negative}`, `spec.backoffLimit: Invalid value: -1: ${MSG.negative}`],
    },
    {
      name: 'completionMode enum',
      edit: (j) => (j.spec.completionMode = 'Ordered'),
      want: ['spec.completionMode: Unsupported value: "Ordered": supported values: "NonIndexed", "Indexed"'],
    },
    {
      name: 'the pod template is validated',
      edit: (j) => (j.spec.template.spec.containers[0].ports = [{ containerPort: 0 }, { containerPort: 65536 }]),
      want: ['spec.template.spec.containers[0].ports[0].containerPort: Required value', `spec.template.spec.containers[0].ports[1].containerPort: Invalid value: 65536: ${MSG.portRange}`],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(JOB, job(c.edit))), c.want));

  it('the generated selector must match the generated labels', () => {
    const j = job();
    j.spec.template.metadata.labels['controller-uid'] = 'other';
    assert.deepEqual(texts(validateCreate(JOB, j)), [
      `spec.template.metadata.labels[controller-uid]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"u-1", "batch.kubernetes.io/job-name":"pi", "controller-uid":"other", "job-name":"pi"}: must be 'u-1'`,
    ]);
  });
  it('a manual selector must match the template labels', () => {
    const j = job((o) => {
      o.spec.manualSelector = true;
      o.spec.selector = { matchLabels: { app: 'pi' } };
      o.spec.template.metadata = { labels: { app: 'other' } };
    });
    assert.deepEqual(texts(validateCreate(JOB, j)), [`spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: ${MSG.mismatch}`]);
    j.spec.template.metadata.labels.app = 'pi';
    assert.deepEqual(validateCreate(JOB, j), []);
  });
});

describe('Job update and status', () => {
  const upd = (old: Any, edit: (j: Any) => void): string[] => {
    const n = JSON.parse(JSON.stringify(old));
    edit(n);
    return texts(validateUpdate(JOB, n, old));
  };
  const old = stored(job());
  it('the template is immutable', () => {
    const errs = upd(old, (n) => (n.spec.template.spec.containers[0].image = 'perl:2'));
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec\.template: Invalid value: .*: field is immutable$/);
  });
  it('completions are immutable', () => assert.deepEqual(upd(old, (n) => (n.spec.completions = 3)), ['spec.completions: Invalid value: 3: field is immutable']));
  it('the selector is immutable', () =>
    assert.deepEqual(
      upd(old, (n) => (n.spec.selector.matchExpressions = [{ key: 'job-name', operator: 'Exists' }])),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"batch.kubernetes.io/controller-uid":"u-1"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"job-name", Operator:"Exists", Values:[]string(nil)}}}: field is immutable',
      ],
    ));
  it('completionMode is immutable', () =>
    assert.deepEqual(upd(old, (n) => Object.assign(n.spec, { completionMode: 'Indexed', completions: 1 })), ['spec.completionMode: Invalid value: "Indexed": field is immutable']));
  it('parallelism, activeDeadlineSeconds and suspend may change', () =>
    assert.deepEqual(
      upd(old, (n) => Object.assign(n.spec, { parallelism: 3, activeDeadlineSeconds: 60, suspend: true })),
      [],
    ));
  it('a suspended job that never started may change its scheduling directives and labels', () => {
    const suspended = stored(job((j) => (j.spec.suspend = true)));
    assert.deepEqual(
      upd(suspended, (n) => {
        n.spec.template.spec.nodeSelector = { zone: 'a' };
        n.spec.template.spec.tolerations = [{ key: 'k', operator: 'Exists' }];
        n.spec.template.metadata.labels.extra = 'x';
      }),
      [],
    );
    const errs = upd(suspended, (n) => (n.spec.template.spec.containers[0].image = 'perl:2'));
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec\.template: Invalid value: .*: field is immutable$/);
  });
  it('status counters are non-negative', () => {
    const n = JSON.parse(JSON.stringify(old));
    n.status = { active: -1, succeeded: 0, failed: -2 };
    assert.deepEqual(texts(validateStatusUpdate(JOB, n, old)), [`status.active: Invalid value: -1: ${MSG.negative}`, `status.failed: Invalid value: -2: ${MSG.negative}`]);
  });
});
