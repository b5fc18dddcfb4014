/** The cron parser and Next() as robfig/cron v3 ParseStandard: fields, descriptors, DOW/DOM OR, zones and DST. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cronScheduleError } from '../../../../src/apiserver/validation/cron';
import { CronParseError, parseGoDuration, parseSchedule } from '../../../../src/controllers/cronjob/cron-schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

describe('cron schedule next()', () => {
  const cases: [string, string, string, string][] = [
    // [description, schedule, from, expected next]
    ['every 15 minutes', '*/15 * * * *', '2026-01-01T00:07:30Z', '2026-01-01T00:15:00Z'],
    ['strictly after', '*/15 * * * *', '2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z'],
    ['first of month', '0 0 1 * *', '2026-01-15T10:00:00Z', '2026-02-01T00:00:00Z'],
    ['range and list', '5,10-12 3 * * *', '2026-01-01T03:10:30Z', '2026-01-01T03:11:00Z'],
    ['month and day names', '0 12 * jan,JUL mon', '2026-01-01T00:00:00Z', '2026-01-05T12:00:00Z'],
    ['month names wrap the year', '0 12 1 jul *', '2026-08-01T00:00:00Z', '2027-07-01T12:00:00Z'],
    ['DOM OR DOW when both restricted (Friday first)', '0 0 13 * 5', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
    ['DOM OR DOW when both restricted (13th first)', '0 0 13 * 5', '2026-01-10T00:00:00Z', '2026-01-13T00:00:00Z'],
    ['DOM only when DOW is *', '0 0 13 * *', '2026-01-01T00:00:00Z', '2026-01-13T00:00:00Z'],
    ['DOW only when DOM is ?', '0 0 ? * 5', '2026-01-03T00:00:00Z', '2026-01-09T00:00:00Z'],
    ['*/2 on DOW is not a star: OR again', '0 0 13 * */2', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'],
    ['Feb 29 only in leap years', '0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['@hourly', '@hourly', '2026-01-01T10:59:59Z', '2026-01-01T11:00:00Z'],
    ['@daily', '@daily', '2026-01-01T10:00:00Z', '2026-01-02T00:00:00Z'],
    ['@midnight', '@midnight', '2026-01-01T10:00:00Z', '2026-01-02T00:00:00Z'],
    ['@weekly is Sunday', '@weekly', '2026-01-01T10:00:00Z', '2026-01-04T00:00:00Z'],
    ['@monthly', '@monthly', '2026-01-01T10:00:00Z', '2026-02-01T00:00:00Z'],
    ['@yearly', '@yearly', '2026-01-01T10:00:00Z', '2027-01-01T00:00:00Z'],
    ['@annually', '@annually', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['@every 90m', '@every 90m', '2026-01-01T10:00:00.500Z', '2026-01-01T11:30:00Z'],
    ['@every rounds down to seconds', '@every 1.5s', '2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z'],
    ['TZ= prefix', 'TZ=Asia/Tokyo 0 9 * * *', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
    ['CRON_TZ= prefix, New York winter', 'CRON_TZ=America/New_York 0 9 * * *', '2026-01-01T00:00:00Z', '2026-01-01T14:00:00Z'],
    ['New York summer', 'TZ=America/New_York 0 9 * * *', '2026-07-01T00:00:00Z', '2026-07-01T13:00:00Z'],
    ['DST spring forward: a skipped wall time does not fire that day', 'TZ=America/New_York 30 2 * * *', '2026-03-07T08:00:00Z', '2026-03-09T06:30:00Z'],
    ['DST fall back: first 01:30 (EDT)', 'TZ=America/New_York 30 1 * * *', '2026-11-01T04:00:00Z', '2026-11-01T05:30:00Z'],
    ['DST fall back: the repeated 01:30 (EST) fires again', 'TZ=America/New_York 30 1 * * *', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'],
    ['DST fall back: then the next day', 'TZ=America/New_York 30 1 * * *', '2026-11-01T06:30:00Z', '2026-11-02T06:30:00Z'],
    ['hourly across spring forward', 'TZ=Europe/Berlin 0 * * * *', '2026-03-29T00:30:00Z', '2026-03-29T01:00:00Z'],
    ['daily at midnight in a zone', 'TZ=Europe/Berlin 0 0 * * *', '2026-03-28T23:30:00Z', '2026-03-29T22:00:00Z'],
  ];
  for (const [what, spec, from, want] of cases) {
    it(what, () => assert.equal(iso(parseSchedule(spec).next(at(from))), want));
  }

  it('a zone given as the default zone (spec.timeZone)', () => {
    assert.equal(iso(parseSchedule('0 9 * * *', 'Asia/Kolkata').next(at('2026-01-01T00:00:00Z'))), '2026-01-01T03:30:00Z');
  });

  it('an impossible date returns 0 (robfig zero time)', () => {
    assert.equal(parseSchedule('59 23 31 2 *').next(at('2026-01-01T00:00:00Z')), 0);
  });

  it('property: next() is strictly later, on a whole minute, and matches the minute field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }), (m, step, from) => {
        const t = parseSchedule(`${m % step}/${step} * * * *`).next(from);
        assert.ok(t > from && t - from <= 3_600_000);
        assert.equal(t % 60_000, 0);
        assert.equal(new Date(t).getUTCMinutes() % step, m % step);
      }),
    );
  });
});

describe('cron schedule parse errors (robfig wording, as validation reports them)', () => {
  const bad: [string, string][] = [
    ['', 'empty spec string'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* 5-2 * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['TZ=Mars/Base * * * * *', 'provided bad location Mars/Base: unknown time zone Mars/Base'],
  ];
  for (const [spec, msg] of bad) {
    it(JSON.stringify(spec), () => {
      assert.throws(() => parseSchedule(spec), (e: unknown) => e instanceof CronParseError && e.message === msg);
      assert.equal(cronScheduleError(spec), msg);
    });
  }

  it('property: the controller parses exactly what validation accepts, with the same message', () => {
    const atom = fc.oneof(fc.constant('*'), fc.constant('?'), fc.integer({ min: 0, max: 70 }).map(String), fc.constantFrom('mon', 'jan', 'x', '-1', ''));
    const elem = fc.tuple(atom, fc.option(atom), fc.option(fc.integer({ min: 0, max: 9 }))).map(([a, b, s]) => `${a}${b !== null ? `-${b}` : ''}${s !== null ? `/${s}` : ''}`);
    const field = fc.array(elem, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
    fc.assert(
      fc.property(fc.array(field, { minLength: 4, maxLength: 6 }), (fields) => {
        const spec = fields.join(' ');
        const want = cronScheduleError(spec);
        let got: string | undefined;
        try {
          parseSchedule(spec);
        } catch (e) {
          got = (e as Error).message;
        }
        assert.equal(got, want, spec);
      }),
      { numRuns: 300 },
    );
  });

  it('Go durations', () => {
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('1.5s'), 1500);
    assert.equal(parseGoDuration('250ms'), 250);
    assert.throws(() => parseGoDuration('1d'), /time: unknown unit "d" in duration "1d"/);
  });
});
