/** The CronJob controller's schedule arithmetic (upstream cronjob utils.go tables, reduced). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedule } from '../../../../src/controllers/cronjob/cron-schedule';
import { formatSchedule, jobNameFor, mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration } from '../../../../src/controllers/cronjob/schedule-math';
import { rfc1123zUtc, rfc3339In, wallClock, zonedDate } from '../../../../src/controllers/cronjob/zoned-time';

const at = (iso: string) => Date.parse(iso);
const every5 = parseSchedule('*/5 * * * *');

describe('mostRecentScheduleTime', () => {
  const created = at('2026-01-01T10:00:00Z');
  it('nothing due before the first schedule', () => {
    const r = mostRecentScheduleTime({ created }, at('2026-01-01T10:03:00Z'), every5, false);
    assert.deepEqual(r, { earliest: created, missed: 'none' });
  });
  it('the one schedule due', () => {
    const r = mostRecentScheduleTime({ created }, at('2026-01-01T10:07:00Z'), every5, false);
    assert.equal(r.mostRecent, at('2026-01-01T10:05:00Z'));
    assert.equal(r.missed, 'none');
  });
  it('a few missed: the most recent one', () => {
    const r = mostRecentScheduleTime({ created }, at('2026-01-01T10:16:00Z'), every5, false);
    assert.equal(r.mostRecent, at('2026-01-01T10:15:00Z'));
    assert.equal(r.missed, 'few');
  });
  it('lastScheduleTime is the start when set', () => {
    const r = mostRecentScheduleTime({ created, lastScheduled: at('2026-01-01T10:15:00Z') }, at('2026-01-01T10:16:00Z'), every5, false);
    assert.equal(r.mostRecent, undefined);
    assert.equal(r.earliest, at('2026-01-01T10:15:00Z'));
  });
  it('more than 100 missed is "many"', () => {
    const r = mostRecentScheduleTime({ created }, at('2026-01-01T20:00:30Z'), parseSchedule('* * * * *'), false);
    assert.equal(r.missed, 'many');
    assert.equal(r.mostRecent, at('2026-01-01T20:00:00Z'));
  });
  it('startingDeadlineSeconds moves the start forward (with includeStartingDeadline)', () => {
    const st = { created, startingDeadlineSeconds: 60 };
    const r = mostRecentScheduleTime(st, at('2026-01-01T20:00:30Z'), parseSchedule('* * * * *'), true);
    assert.equal(r.earliest, at('2026-01-01T19:59:30Z'));
    assert.equal(r.mostRecent, at('2026-01-01T20:00:00Z'));
    assert.equal(r.missed, 'none');
  });
  it('an impossible schedule is an error', () => {
    const r = mostRecentScheduleTime({ created }, at('2026-01-01T20:00:30Z'), parseSchedule('59 23 31 2 *'), true);
    assert.equal(r.error, 'time difference between two schedules is less than 1 second');
  });
  it('@every counts from creation', () => {
    const r = nextScheduleTime({ created }, at('2026-01-01T10:25:00Z'), parseSchedule('@every 10m'));
    assert.equal(r.time, at('2026-01-01T10:20:00Z'));
  });
});

describe('nextScheduleTimeDuration', () => {
  const created = at('2026-01-01T10:00:00Z');
  it('waits until just after the next schedule', () => {
    assert.equal(nextScheduleTimeDuration({ created, lastScheduled: at('2026-01-01T10:15:00Z') }, at('2026-01-01T10:16:00Z'), every5), 4 * 60_000 + 100);
  });
  it('before the first schedule: from creation', () => {
    assert.equal(nextScheduleTimeDuration({ created }, at('2026-01-01T10:01:00Z'), every5), 4 * 60_000 + 100);
  });
});

describe('names and formats', () => {
  it('job name is minutes since the epoch', () => assert.equal(jobNameFor('hello', at('2026-01-01T00:00:00Z')), 'hello-29453760'));
  it('timeZone becomes a TZ= prefix unless the schedule has one', () => {
    assert.equal(formatSchedule('0 9 * * *', 'Asia/Tokyo'), 'TZ=Asia/Tokyo 0 9 * * *');
    assert.equal(formatSchedule('0 9 * * *', undefined), '0 9 * * *');
    assert.equal(formatSchedule('TZ=UTC 0 9 * * *', 'Asia/Tokyo'), 'TZ=UTC 0 9 * * *');
  });
  it('RFC 3339 in a zone, RFC 1123Z in UTC', () => {
    assert.equal(rfc3339In(at('2026-01-01T00:00:00Z'), 'Asia/Tokyo'), '2026-01-01T09:00:00+09:00');
    assert.equal(rfc3339In(at('2026-01-01T00:00:00Z'), 'America/St_Johns'), '2025-12-31T20:30:00-03:30');
    assert.equal(rfc3339In(at('2026-01-01T00:00:00Z'), ''), '2026-01-01T00:00:00Z');
    assert.equal(rfc3339In(at('2026-01-01T00:00:00Z'), 'Europe/London'), '2026-01-01T00:00:00Z');
    assert.equal(rfc1123zUtc(at('2026-01-02T03:04:05Z')), 'Fri, 02 Jan 2026 03:04:05 +0000');
  });
  it('Go time.Date in a zone: normalisation and DST gaps/overlaps', () => {
    assert.equal(zonedDate(2026, 13, 1, 0, 0, 0, 'UTC'), at('2027-01-01T00:00:00Z'));
    // 02:30 does not exist in New York on 2026-03-08: Go lands on 01:30 EST.
    assert.equal(zonedDate(2026, 3, 8, 2, 30, 0, 'America/New_York'), at('2026-03-08T06:30:00Z'));
    // 01:30 exists twice on 2026-11-01: Go takes the first (EDT).
    assert.equal(zonedDate(2026, 11, 1, 1, 30, 0, 'America/New_York'), at('2026-11-01T05:30:00Z'));
    assert.deepEqual(wallClock(at('2026-07-01T12:00:00Z'), 'Europe/Berlin'), { year: 2026, month: 7, day: 1, hour: 14, minute: 0, second: 0, weekday: 3 });
  });
});
