import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MIN, SEC, ago, cells, headers, meta, resource, table } from './fixtures';

const jobs = resource('jobs');
const cronjobs = resource('cronjobs');
const podTemplate = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' } };
const selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'c0ffee' } };
const cond = (type: string, status = 'True') => ({ type, status });

describe('jobs table', () => {
  it('columns: NAME STATUS COMPLETIONS DURATION AGE + CONTAINERS IMAGES SELECTOR', () => {
    assert.deepEqual(headers(table(jobs, [])), ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', '+CONTAINERS', '+IMAGES', '+SELECTOR']);
  });
  const cases: [string, Record<string, unknown>, Record<string, unknown>, unknown[]][] = [
    [
      'completed: 1/1 and the time from start to completion',
      { completions: 1, parallelism: 1 },
      { succeeded: 1, startTime: ago(5 * MIN), completionTime: ago(5 * MIN - 17 * SEC), conditions: [cond('SuccessCriteriaMet'), cond('Complete')] },
      ['Complete', '1/1', '17s'],
    ],
    ['running: duration up to now', { completions: 3, parallelism: 1 }, { succeeded: 1, active: 1, startTime: ago(4 * MIN) }, ['Running', '1/3', '4m']],
    ['not started: empty duration', { completions: 1 }, {}, ['Running', '0/1', '']],
    ['work queue without completions, parallelism 1', { parallelism: 1 }, { startTime: ago(150 * SEC) }, ['Running', '0/1', '2m30s']],
    ['work queue with parallelism 4', { parallelism: 4 }, { succeeded: 2, startTime: ago(2 * HOUR) }, ['Running', '2/1 of 4', '120m']],
    ['failed', { completions: 1, backoffLimit: 0 }, { failed: 1, startTime: ago(3 * MIN), conditions: [cond('FailureTarget'), cond('Failed')] }, ['Failed', '0/1', '3m']],
    ['failure target only', { completions: 1 }, { startTime: ago(MIN), conditions: [cond('FailureTarget')] }, ['FailureTarget', '0/1', '60s']],
    ['suspended', { completions: 1, suspend: true }, { conditions: [cond('Suspended')] }, ['Suspended', '0/1', '']],
    ['a False condition does not count', { completions: 1 }, { startTime: ago(MIN), conditions: [cond('Complete', 'False')] }, ['Running', '0/1', '60s']],
  ];
  for (const [name, spec, status, want] of cases) {
    it(name, () => {
      const row = cells(jobs, { metadata: meta('pi'), spec: { template: podTemplate, selector, ...spec }, status });
      assert.deepEqual(row.slice(1, 4), want);
    });
  }
  it('terminating unless complete or failed; wide cells', () => {
    const job = { metadata: meta('pi', { deletionTimestamp: ago(SEC) }), spec: { completions: 1, template: podTemplate, selector }, status: { startTime: ago(MIN) } };
    assert.deepEqual(cells(jobs, job), ['pi', 'Terminating', '0/1', '60s', '5m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=c0ffee']);
    const done = { ...job, status: { succeeded: 1, conditions: [cond('Complete')] } };
    assert.equal(cells(jobs, done)[1], 'Complete');
  });
});

describe('cronjobs table', () => {
  it('NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE + wide', () => {
    const t = table(cronjobs, [
      {
        metadata: meta('backup'),
        spec: { schedule: '*/5 * * * *', timeZone: 'Etc/UTC', suspend: false, jobTemplate: { spec: { template: podTemplate, selector } } },
        status: { active: [{ name: 'backup-28623400' }], lastScheduleTime: ago(2 * MIN) },
      },
      { metadata: meta('never'), spec: { schedule: '@daily', jobTemplate: { spec: { template: podTemplate } } }, status: {} },
      { metadata: meta('paused'), spec: { schedule: '0 3 * * *', suspend: true, jobTemplate: { spec: { template: podTemplate } } } },
    ]);
    assert.deepEqual(headers(t), ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE', '+CONTAINERS', '+IMAGES', '+SELECTOR']);
    assert.deepEqual(t.columnDefinitions.map((c) => c.type).slice(3, 5), ['boolean', 'integer']);
    assert.deepEqual(t.rows.map((r) => r.cells), [
      ['backup', '*/5 * * * *', 'Etc/UTC', 'False', 1, '2m', '5m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=c0ffee'],
      ['never', '@daily', '<none>', '<unset>', 0, '<none>', '5m', 'pi', 'perl:5.34', '<none>'],
      ['paused', '0 3 * * *', '<none>', 'True', 0, '<none>', '5m', 'pi', 'perl:5.34', '<none>'],
    ]);
  });
});
