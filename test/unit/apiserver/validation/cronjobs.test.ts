/** batch/v1 CronJob validation: schedule (robfig/cron v3 messages), time zone, policy, job template, name length. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCreate, validateUpdate } from '../../../../src/apiserver/validation';
import { cronScheduleError, goDurationError } from '../../../../src/apiserver/validation/cron';
import { MSG, gvk, stored, texts, variant, type Any, type CreateCase } from './helpers';

const CRONJOB = gvk('batch', 'CronJob');
const JT = 'spec.jobTemplate.spec';

const cj = (edit: (c: Any) => void = () => {}): Any =>
  variant(
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'hello', namespace: 'default' },
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'h', image: 'busybox' }] } } } } },
    },
    CRONJOB,
    edit,
  );

describe('CronJob create', () => {
  const cases: CreateCase[] = [
    { name: 'valid', edit: () => {}, want: [] },
    {
      name: 'schedule, time zone, policy and name length',
      edit: (c) => {
        c.metadata.name = 'x'.repeat(53);
        Object.assign(c.spec, { schedule: '61 * * * *', timeZone: 'Mars/Base', concurrencyPolicy: 'Sometimes' });
      },
      want: [
        'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
        'spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base',
        'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
        `metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`,
      ],
    },
    { name: 'schedule required', edit: (c) => (c.spec.schedule = ''), want: ['spec.schedule: Required value'] },
    {
      name: 'TZ in the schedule is refused on create',
      edit: (c) => (c.spec.schedule = 'TZ=UTC 0 * * * *'),
      want: ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    },
    {
      name: 'deadlines and history limits non-negative',
      edit: (c) => Object.assign(c.spec, { startingDeadlineSeconds: -1, successfulJobsHistoryLimit: -1, failedJobsHistoryLimit: -1 }),
      want: [
        `spec.startingDeadlineSeconds: Invalid value: -1: ${MSG.negative}`,
        `spec.successfulJobsHistoryLimit: Invalid value: -1: ${MSG.negative}`,
        `spec.failedJobsHistoryLimit: Invalid value: -1: ${MSG.negative}`,
      ],
    },
    {
      name: 'the job template needs restartPolicy OnFailure or Never',
      edit: (c) => delete c.spec.jobTemplate.spec.template.spec.restartPolicy,
      want: [`${JT}.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`],
    },
    {
      name: 'the job template may not carry a selector',
      edit: (c) => (c.spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } }),
      want: [
        `${JT}.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: \`selector\` will be auto-generated`,
      ],
    },
    {
      name: 'the job template pod spec is validated',
      edit: (c) => c.spec.jobTemplate.spec.template.spec.containers.push({ name: 'h', image: 'busybox' }),
      want: [`${JT}.template.spec.containers[1].name: Duplicate value: "h"`],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(texts(validateCreate(CRONJOB, cj(c.edit))), c.want));
});

describe('CronJob update', () => {
  it('a schedule that already used TZ may keep it', () => {
    const old = stored(cj((c) => (c.spec.schedule = 'TZ=UTC 0 * * * *')));
    const n = JSON.parse(JSON.stringify(old));
    n.spec.suspend = true;
    assert.deepEqual(validateUpdate(CRONJOB, n, old), []);
  });
  it('the spec is revalidated', () => {
    const old = stored(cj());
    const n = JSON.parse(JSON.stringify(old));
    n.spec.concurrencyPolicy = '';
    assert.deepEqual(texts(validateUpdate(CRONJOB, n, old)), ['spec.concurrencyPolicy: Required value']);
  });
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
