/** batch/v1 validation (Job, CronJob) and the robfig/cron schedule messages. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateJobSelector } from '../../../../src/api/defaults';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { cronScheduleError, goDurationError } from '../../../../src/apiserver/validation/cron';
import { gvk, stored, texts, variant, type Any } from './helpers';

const JOB = gvk('batch', 'Job');
const CRONJOB = gvk('batch', 'CronJob');

function job(edit: (j: Any) => void = () => {}): Any {
  const j = variant(
    { metadata: { name: 'pi', namespace: 'default', uid: 'u-1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } },
    JOB,
    edit,
  );
  generateJobSelector(j);
  return j;
}

describe('Job', () => {
  it('a defaulted job with a generated selector is valid', () => assert.deepEqual(validateCreate(JOB, job()), []));
  it('restartPolicy must be OnFailure or Never (Always comes from the PodSpec default)', () =>
    assert.deepEqual(texts(validateCreate(JOB, job((j) => delete j.spec.template.spec.restartPolicy))), [
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]));
  it('counts are non-negative; per-index limits need Indexed mode', () =>
    assert.deepEqual(
      texts(validateCreate(JOB, job((j) => Object.assign(j.spec, { parallelism: -1, backoffLimitPerIndex: 1 })))),
      ['spec.parallelism: Invalid value: -1: must be greater than or equal to 0', 'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'],
    ));
  it('the generated selector must match the generated labels', () => {
    const j = job();
    j.spec.template.metadata.labels['controller-uid'] = 'other';
    assert.deepEqual(texts(validateCreate(JOB, j)), [
      `spec.template.metadata.labels[controller-uid]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"u-1", "batch.kubernetes.io/job-name":"pi", "controller-uid":"other", "job-name":"pi"}: must be 'u-1'`,
    ]);
  });
  it('selector and template are immutable', () => {
    const old = stored(job());
    const n = JSON.parse(JSON.stringify(old));
    n.spec.template.spec.containers[0].image = 'perl:2';
    const errs = texts(validateUpdate(JOB, n, old));
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec\.template: Invalid value: .*: field is immutable$/);
    n.spec.template.spec.containers[0].image = 'perl';
    n.spec.completions = 3;
    assert.deepEqual(texts(validateUpdate(JOB, n, old)), ['spec.completions: Invalid value: 3: field is immutable']);
  });
});

describe('CronJob', () => {
  const cj = (edit: (c: Any) => void = () => {}): Any =>
    variant(
      { metadata: { name: 'hello', namespace: 'default' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'h', image: 'busybox' }] } } } } } },
      CRONJOB,
      edit,
    );
  it('valid', () => assert.deepEqual(validateCreate(CRONJOB, cj()), []));
  it('schedule, time zone, policy and name length', () =>
    assert.deepEqual(
      texts(
        validateCreate(
          CRONJOB,
          cj((c) => {
            c.metadata.name = 'x'.repeat(53);
            Object.assign(c.spec, { schedule: '61 * * * *', timeZone: 'Mars/Base', concurrencyPolicy: 'Sometimes' });
          }),
        ),
      ),
      [
        'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
        'spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base',
        'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
        `metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`,
      ],
    ));
  it('the job template may not carry a selector', () =>
    assert.deepEqual(texts(validateCreate(CRONJOB, cj((c) => (c.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } })))), [
      'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated',
    ]));
});

describe('cron schedule parser (robfig/cron v3 ParseStandard messages)', () => {
  const cases: [string, string | undefined][] = [
    ['*/5 * * * *', undefined],
    ['0 0 1 jan mon-fri', undefined],
    ['@hourly', undefined],
    ['@every 1h30m', undefined],
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/1/2 * * * *', 'too many slashes: */1/2'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['abc * * * *', 'failed to parse int from abc: strconv.Atoi: parsing "abc": invalid syntax'],
    ['@often', 'unrecognized descriptor: @often'],
    ['@every x', 'failed to parse duration @every x: time: invalid duration "x"'],
    ['TZ=Nowhere/City * * * * *', 'provided bad location Nowhere/City: unknown time zone Nowhere/City'],
  ];
  for (const [spec, want] of cases) it(JSON.stringify(spec), () => assert.equal(cronScheduleError(spec), want));
  it('Go durations', () => {
    assert.equal(goDurationError('1h2m3.5s'), undefined);
    assert.equal(goDurationError('5'), 'time: missing unit in duration "5"');
    assert.equal(goDurationError('5y'), 'time: unknown unit "y" in duration "5y"');
  });
});
