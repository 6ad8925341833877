import { describe, expect, it } from 'vitest';
import { createWorkspace } from './testing/fixture';
import { getBooking, readHistory } from './doc/schedule';
import { findConflicts, listProviders, listServices } from './index';

describe('a dispatcher day in commands', () => {
  it('creates, assigns, sends and completes a job', () => {
    const ws = createWorkspace();
    ws.must('initializeOrganization', { name: 'Acme HVAC', timeZone: 'America/Chicago' });
    const ana = ws.must('createProvider', { name: 'Ana Silva', skills: ['hvac'] }).id;
    const svc = ws.must('createService', { name: 'AC repair', requiredSkills: ['hvac'], durationMinutes: 90 }).id;
    const job = ws.must('createBooking', { title: 'AC repair – Smith', serviceId: svc }).id;
    expect(getBooking(ws.schedule, job)?.status).toBe('unscheduled');
    ws.must('assignProvider', { id: job, providerId: ana, start: '2026-11-24T15:00:00Z' });
    const b = getBooking(ws.schedule, job)!;
    expect(b.slot).toEqual({ start: '2026-11-24T15:00:00Z', end: '2026-11-24T16:30:00Z', assignees: [ana] });
    expect(b.status).toBe('scheduled');
    ws.must('sendToTech', { id: job });
    expect(getBooking(ws.schedule, job)?.status).toBe('dispatched');
    expect(readHistory(ws.schedule, job).map((h) => h.action)).toEqual(['create', 'assign', 'send_to_tech']);
    const world = {
      settings: { timeZone: 'America/Chicago', autoResize: false },
      providers: new Map(listProviders(ws.roster).map((p) => [p.id, p])),
      services: new Map(listServices(ws.roster).map((s) => [s.id, s])),
    };
    expect(findConflicts(world, [getBooking(ws.schedule, job)!]).size).toBe(0);
  });
});
