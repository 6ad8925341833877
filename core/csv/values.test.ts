import { describe, expect, it } from 'vitest';
import { guessMapping, headerKey } from './fields';
import {
  dateOrderOf,
  defaultDateOrder,
  readBoolean,
  readDate,
  readDateTime,
  readDurationMinutes,
  readList,
  readNumber,
  readTime,
} from './values';

describe('CSV value readers', () => {
  it('reads dates in ISO, en-US, German and named-month forms, refusing impossible ones', () => {
    expect(readDate('2026-11-24', 'mdy')).toBe('2026-11-24');
    expect(readDate('11/24/2026', 'mdy')).toBe('2026-11-24');
    expect(readDate('24/11/2026', 'dmy')).toBe('2026-11-24');
    expect(readDate('24/11/2026', 'mdy')).toBeNull(); // month 24
    expect(readDate('24.11.2026', 'mdy')).toBe('2026-11-24'); // dots are always day first
    expect(readDate('24.11.26', 'mdy')).toBe('2026-11-24');
    expect(readDate('11/24/26', 'mdy')).toBe('2026-11-24');
    expect(readDate('Nov 24, 2026', 'dmy')).toBe('2026-11-24');
    expect(readDate('Tue, November 24, 2026', 'dmy')).toBe('2026-11-24');
    expect(readDate('24 Nov 2026', 'mdy')).toBe('2026-11-24');
    expect(readDate('Dienstag, 24. November 2026', 'dmy')).toBe('2026-11-24');
    expect(readDate('2/30/2026', 'mdy')).toBeNull();
    expect(readDate('soon', 'mdy')).toBeNull();
  });

  it('reads 24-hour and 12-hour times', () => {
    expect(readTime('09:00')).toBe('09:00');
    expect(readTime('9:05')).toBe('09:05');
    expect(readTime('21:30:59')).toBe('21:30');
    expect(readTime('9:00 AM')).toBe('09:00');
    expect(readTime('9 pm')).toBe('21:00');
    expect(readTime('12 AM')).toBe('00:00');
    expect(readTime('12:30 p.m.')).toBe('12:30');
    expect(readTime('13:00 PM')).toBeNull();
    expect(readTime('25:00')).toBeNull();
    expect(readTime('9')).toBeNull(); // a bare number is not a time
  });

  it('reads date-times as wall-clock values and ISO instants with an offset as instants', () => {
    expect(readDateTime('2026-11-24 09:00', 'mdy')).toEqual({ kind: 'local', date: '2026-11-24', time: '09:00' });
    expect(readDateTime('2026-11-24T09:00', 'mdy')).toEqual({ kind: 'local', date: '2026-11-24', time: '09:00' });
    expect(readDateTime('11/24/2026 9:00 AM', 'mdy')).toEqual({ kind: 'local', date: '2026-11-24', time: '09:00' });
    expect(readDateTime('24.11.2026 09:00', 'mdy')).toEqual({ kind: 'local', date: '2026-11-24', time: '09:00' });
    expect(readDateTime('Nov 24, 2026, 2:30 PM', 'mdy')).toEqual({ kind: 'local', date: '2026-11-24', time: '14:30' });
    expect(readDateTime('14:30', 'mdy')).toEqual({ kind: 'time', time: '14:30' });
    expect(readDateTime('2026-11-24', 'mdy')).toEqual({ kind: 'local', date: '2026-11-24', time: null });
    expect(readDateTime('2026-11-24T15:00:00Z', 'mdy')).toEqual({ kind: 'instant', ms: Date.parse('2026-11-24T15:00:00Z') });
    expect(readDateTime('2026-11-24T09:00:00-06:00', 'mdy')).toEqual({ kind: 'instant', ms: Date.parse('2026-11-24T15:00:00Z') });
    expect(readDateTime('next tuesday', 'mdy')).toBeNull();
  });

  it('tells the date order from the file when a number over 12 says it, and from the zone otherwise', () => {
    expect(dateOrderOf(['11/02/2026', '24/11/2026 09:00'])).toBe('dmy');
    expect(dateOrderOf(['11/24/2026 9:00 AM', '2026-11-02'])).toBe('mdy');
    expect(dateOrderOf(['11/02/2026', '24.11.2026'])).toBeNull();
    expect(dateOrderOf(['11/24/2026', '24/11/2026'])).toBeNull(); // contradicts itself: the rows say which fail
    expect(defaultDateOrder('America/Chicago')).toBe('mdy');
    expect(defaultDateOrder('Europe/Berlin')).toBe('dmy');
  });

  it('reads numbers, yes/no, lists and durations', () => {
    expect(readNumber('1,5')).toBe(1.5);
    expect(readNumber('2')).toBe(2);
    expect(readNumber('two')).toBeNull();
    expect(readBoolean('Yes')).toBe(true);
    expect(readBoolean('inactive')).toBe(false);
    expect(readBoolean('maybe')).toBeNull();
    expect(readList('HVAC; Electrical;HVAC')).toEqual(['HVAC', 'Electrical']);
    expect(readList('HVAC, Electrical')).toEqual(['HVAC', 'Electrical']);
    expect(readList('HVAC, commercial; Electrical')).toEqual(['HVAC, commercial', 'Electrical']);
    expect(readDurationMinutes('90')).toBe(90);
    expect(readDurationMinutes('1:30')).toBe(90);
    expect(readDurationMinutes('1.5 h')).toBe(90);
    expect(readDurationMinutes('1h 30m')).toBe(90);
    expect(readDurationMinutes('2 hrs')).toBe(120);
    expect(readDurationMinutes('45 min')).toBe(45);
    expect(readDurationMinutes('long')).toBeNull();
  });
});

describe('guessing the mapping from headers', () => {
  it('ignores case, accents, spaces and punctuation', () => {
    expect(headerKey('E-mail 1 - Value')).toBe('email1value');
    expect(headerKey(' Téléphone ')).toBe('telephone');
    expect(headerKey('Business Country/Region')).toBe('businesscountryregion');
  });

  it('maps Google Contacts headers (old and new layouts)', () => {
    const old = ['Name', 'Given Name', 'Family Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'Phone 1 - Type', 'Phone 1 - Value', 'Address 1 - Formatted', 'Address 1 - Street', 'Address 1 - City', 'Organization 1 - Name', 'Notes'];
    expect(guessMapping('customers', old)).toMatchObject({
      name: 'Name',
      firstName: 'Given Name',
      lastName: 'Family Name',
      email: 'E-mail 1 - Value',
      phone: 'Phone 1 - Value',
      address: 'Address 1 - Formatted',
      street: 'Address 1 - Street',
      city: 'Address 1 - City',
      company: 'Organization 1 - Name',
      notes: 'Notes',
      id: null,
    });
    const current = ['First Name', 'Middle Name', 'Last Name', 'Organization Name', 'E-mail 1 - Label', 'E-mail 1 - Value', 'Phone 1 - Value', 'Address 1 - Region', 'Address 1 - Postal Code'];
    expect(guessMapping('customers', current)).toMatchObject({
      name: null,
      firstName: 'First Name',
      lastName: 'Last Name',
      company: 'Organization Name',
      region: 'Address 1 - Region',
      postalCode: 'Address 1 - Postal Code',
    });
  });

  it('maps Outlook contact headers, preferring the mobile number and the first address', () => {
    const outlook = ['First Name', 'Last Name', 'Company', 'Business Street', 'Business City', 'Business State', 'Business Postal Code', 'Business Country/Region', 'Business Phone', 'Home Phone', 'Mobile Phone', 'E-mail Address', 'E-mail 2 Address', 'Notes'];
    expect(guessMapping('providers', outlook)).toMatchObject({
      firstName: 'First Name',
      lastName: 'Last Name',
      email: 'E-mail Address',
      phone: 'Mobile Phone',
      street: 'Business Street',
      city: 'Business City',
      region: 'Business State',
      postalCode: 'Business Postal Code',
      country: 'Business Country/Region',
    });
  });

  it("maps Jobber's job headers", () => {
    const jobber = ['Job #', 'Client name', 'Client email', 'Title', 'Service street', 'Service city', 'Service province', 'Service ZIP', 'Start date', 'Start time', 'End time', 'Assigned to', 'Instructions', 'Total ($)'];
    expect(guessMapping('jobs', jobber)).toMatchObject({
      customer: 'Client name',
      customerEmail: 'Client email',
      title: 'Title',
      street: 'Service street',
      city: 'Service city',
      region: 'Service province',
      postalCode: 'Service ZIP',
      date: 'Start date',
      start: 'Start time',
      end: 'End time',
      assignees: 'Assigned to',
      notes: 'Instructions',
      id: null,
    });
  });
});
