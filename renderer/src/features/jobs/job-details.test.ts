import { describe, expect, it } from 'vitest';
import { detailsPatch, whenSlotOf, type DetailsDraft } from './job-details';

const zone = 'America/Chicago';
const saved: DetailsDraft = { title: 'Fix AC', priority: 'normal', notes: '', teamSize: '1', laborHours: '2', arrivalStart: '', arrivalEnd: '' };

describe('job panel: the Details patch', () => {
  it('holds only what changed', () => {
    expect(detailsPatch(saved, saved, zone)).toEqual({ value: {}, errors: {} });
    expect(detailsPatch({ ...saved, notes: 'Ladder', teamSize: '2' }, saved, zone)).toEqual({ value: { notes: 'Ladder', teamSize: 2 }, errors: {} });
  });
  it('says a number field is not a number, under its key', () => {
    expect(detailsPatch({ ...saved, laborHours: 'two', teamSize: ' ' }, saved, zone).errors).toEqual({ laborHours: 'Must be a number', teamSize: 'Must be a number' });
  });
  it('wants both ends of an arrival window, in the zone, or neither', () => {
    expect(detailsPatch({ ...saved, arrivalStart: '2026-11-24T09:00' }, saved, zone).errors).toEqual({ 'arrivalWindow.end': 'Give an end, or clear both' });
    expect(detailsPatch({ ...saved, arrivalEnd: '2026-11-24T09:00' }, saved, zone).errors).toEqual({ 'arrivalWindow.start': 'Give a start, or clear both' });
    expect(detailsPatch({ ...saved, arrivalStart: '2026-11-24T09:00', arrivalEnd: '2026-11-24T11:00' }, saved, zone).value).toEqual({
      arrivalWindow: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z' },
    });
    const withWindow = { ...saved, arrivalStart: '2026-11-24T09:00', arrivalEnd: '2026-11-24T11:00' };
    expect(detailsPatch({ ...withWindow, arrivalStart: '', arrivalEnd: '' }, withWindow, zone).value).toEqual({ arrivalWindow: null });
  });
});

describe('job panel: the When slot', () => {
  const hour = 3_600_000;
  it('gives a start alone the job’s usual length, for the same team', () => {
    expect(whenSlotOf({ start: '2026-11-24T09:00', end: '' }, zone, 2 * hour, ['p1'])).toEqual({
      value: { start: '2026-11-24T15:00:00Z', end: '2026-11-24T17:00:00Z', assignees: ['p1'] },
      errors: {},
    });
  });
  it('wants a start, and an end after it', () => {
    expect(whenSlotOf({ start: '', end: '' }, zone, hour, [])).toEqual({ value: null, errors: { 'when.start': 'Pick a date and time' } });
    expect(whenSlotOf({ start: '2026-11-24T10:00', end: '2026-11-24T09:00' }, zone, hour, []).errors).toEqual({ 'when.end': 'Must be after the start' });
    expect(whenSlotOf({ start: '2026-11-24T10:00', end: 'soon' }, zone, hour, []).errors).toEqual({ 'when.end': 'Pick a date and time' });
  });
});
