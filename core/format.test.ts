import { describe, expect, it } from 'vitest';
import { FALLBACK_LOCALE, formatterFor, timeFormatOfLocale } from './format';
import { localToMs } from './time';

const chicago = (date: string, time: string) => localToMs(date, time, 'America/Chicago');

describe('formatterFor', () => {
  it('writes a US organization’s times in 12 h', () => {
    const f = formatterFor({ timeZone: 'America/Chicago', timeFormat: '12h' });
    expect(f.time(chicago('2026-11-24', '09:00'))).toBe('9:00 AM');
    expect(f.time(chicago('2026-11-24', '13:30'))).toBe('1:30 PM');
    expect(f.time(chicago('2026-11-24', '00:15'))).toBe('12:15 AM');
    expect(f.timeRange(chicago('2026-11-24', '09:00'), chicago('2026-11-24', '10:30'))).toBe('9:00 AM–10:30 AM');
    expect(f.dayWithYear(chicago('2026-11-24', '09:00'))).toBe('Tue, Nov 24, 2026');
    expect(f.dateTime(chicago('2026-11-24', '09:00'))).toBe('Tue, Nov 24, 9:00 AM');
  });

  it('writes 24 h when the organization chose it, whatever the locale', () => {
    const f = formatterFor({ timeZone: 'America/Chicago', timeFormat: '24h' });
    expect(f.time(chicago('2026-11-24', '09:00'))).toBe('09:00');
    expect(f.time(chicago('2026-11-24', '00:15'))).toBe('00:15');
    expect(f.timeRange(chicago('2026-11-24', '13:00'), chicago('2026-11-24', '17:45'))).toBe('13:00–17:45');
    expect(formatterFor({ timeZone: 'Europe/Berlin', timeFormat: '12h', locale: 'de-DE' }).time(localToMs('2026-11-24', '15:00', 'Europe/Berlin'))).toMatch(/^3:00 PM$/);
  });

  it('formats in the organization’s zone, not the machine’s', () => {
    const ms = Date.UTC(2026, 10, 24, 15, 0);
    expect(formatterFor({ timeZone: 'America/Chicago', timeFormat: '12h' }).time(ms)).toBe('9:00 AM');
    expect(formatterFor({ timeZone: 'Europe/Berlin', timeFormat: '24h' }).time(ms)).toBe('16:00');
  });

  it('reads DST days right: the repeated and the skipped hour', () => {
    const f = formatterFor({ timeZone: 'America/Chicago', timeFormat: '12h' });
    // 1 Nov 2026: 2:00 CDT falls back to 1:00 CST; 1:30 happens twice, an hour apart.
    const first = Date.UTC(2026, 10, 1, 6, 30);
    const second = Date.UTC(2026, 10, 1, 7, 30);
    expect(f.time(first)).toBe('1:30 AM');
    expect(f.time(second)).toBe('1:30 AM');
    expect(f.zoneAbbreviation(first)).toBe('CDT');
    expect(f.zoneAbbreviation(second)).toBe('CST');
    // 8 Mar 2026: 2:00 CST springs to 3:00 CDT.
    expect(f.time(Date.UTC(2026, 2, 8, 8, 0))).toBe('3:00 AM');
    expect(formatterFor({ timeZone: 'Europe/Berlin', timeFormat: '24h' }).time(Date.UTC(2026, 2, 29, 1, 0))).toBe('03:00');
  });

  it('uses a given locale’s dates: de-DE', () => {
    const f = formatterFor({ timeZone: 'Europe/Berlin', timeFormat: '24h', locale: 'de-DE' });
    const ms = localToMs('2026-11-24', '09:05', 'Europe/Berlin');
    expect(f.time(ms)).toBe('09:05');
    expect(f.dayWithYear(ms)).toBe('Di., 24. Nov. 2026');
    expect(f.list(['Ana', 'Bo', 'Cy'])).toBe('Ana, Bo und Cy');
    expect(f.number(1234)).toBe('1.234');
  });

  it('joins lists and counts things with Intl', () => {
    const f = formatterFor({ timeZone: 'UTC', timeFormat: '24h' });
    expect(f.settings.locale).toBe(FALLBACK_LOCALE);
    expect(f.list(['Ana'])).toBe('Ana');
    expect(f.list(['Ana', 'Bo'])).toBe('Ana and Bo');
    expect(f.list(['Ana', 'Bo', 'Cy'])).toBe('Ana, Bo, and Cy');
    expect(f.count(1, 'job')).toBe('1 job');
    expect(f.count(2, 'job')).toBe('2 jobs');
    expect(f.count(0, 'job')).toBe('0 jobs');
    expect(f.count(1234, 'person', 'people')).toBe('1,234 people');
  });

  it('falls back to the documented locale for an unknown tag', () => {
    expect(formatterFor({ timeZone: 'UTC', timeFormat: '24h', locale: 'xx-invalid-tag-' }).settings.locale).toBe(FALLBACK_LOCALE);
  });
});

describe('timeFormatOfLocale', () => {
  it('defaults from the locale’s clock: 12 h in the US, 24 h in Germany', () => {
    expect(timeFormatOfLocale('en-US')).toBe('12h');
    expect(timeFormatOfLocale('de-DE')).toBe('24h');
    expect(timeFormatOfLocale('en-GB')).toBe('24h');
    expect(timeFormatOfLocale('not a locale')).toBe('24h');
  });
});

describe('span (time off in conflict messages)', () => {
  const zone = 'America/Chicago';
  const at = (date: string, time: string) => localToMs(date, time, zone);
  const twelve = formatterFor({ timeZone: zone, timeFormat: '12h' });
  const twentyFour = formatterFor({ timeZone: zone, timeFormat: '24h' });

  it('writes whole local days as days, in either clock', () => {
    for (const f of [twelve, twentyFour]) {
      expect(f.span(at('2026-12-01', '00:00'), at('2026-12-02', '00:00'))).toBe('all day Tue, Dec 1');
      expect(f.span(at('2026-12-01', '00:00'), at('2026-12-04', '00:00'))).toBe('all day Tue, Dec 1 to Thu, Dec 3');
    }
  });

  it('writes times in the clock asked for, with the days when the span crosses midnight', () => {
    expect(twelve.span(at('2026-12-01', '12:00'), at('2026-12-01', '15:30'))).toBe('12:00 PM–3:30 PM');
    expect(twentyFour.span(at('2026-12-01', '12:00'), at('2026-12-01', '15:30'))).toBe('12:00–15:30');
    expect(twelve.span(at('2026-12-01', '16:00'), at('2026-12-02', '10:00'))).toBe('Tue, Dec 1, 4:00 PM to Wed, Dec 2, 10:00 AM');
    expect(twentyFour.span(at('2026-12-01', '16:00'), at('2026-12-02', '10:00'))).toBe('Tue, Dec 1, 16:00 to Wed, Dec 2, 10:00');
    // Midnight to noon is not a whole day.
    expect(twelve.span(at('2026-12-01', '00:00'), at('2026-12-01', '12:00'))).toBe('12:00 AM–12:00 PM');
  });

  it("uses a locale's own day names when one is given", () => {
    const de = formatterFor({ timeZone: 'Europe/Berlin', timeFormat: '24h', locale: 'de-DE' });
    const berlin = (date: string, time: string) => localToMs(date, time, 'Europe/Berlin');
    expect(de.span(berlin('2026-12-01', '00:00'), berlin('2026-12-02', '00:00'))).toBe('all day Di., 1. Dez.');
  });
});
