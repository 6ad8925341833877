import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsCrossFieldErrors, settingsSchema } from './model';

describe('the settings cross-field rule', () => {
  it('wants the timeline to end after it starts', () => {
    expect(settingsCrossFieldErrors({ timelineStart: '08:00', timelineEnd: '18:00' })).toEqual({});
    expect(settingsCrossFieldErrors({ timelineStart: '18:00', timelineEnd: '08:00' })).toEqual({ timelineEnd: 'Must be after the timeline start' });
    expect(settingsCrossFieldErrors({ timelineStart: '08:00', timelineEnd: '08:00' })).toHaveProperty('timelineEnd');
    expect(settingsCrossFieldErrors({ timelineStart: '08:00', timelineEnd: '24:00' })).toEqual({});
  });
  it('leaves a half-typed time to its own error', () => {
    expect(settingsCrossFieldErrors({ timelineStart: '8', timelineEnd: '07:00' })).toEqual({});
  });
  it('is the rule settingsSchema enforces', () => {
    const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, timelineStart: '20:00', timelineEnd: '06:00' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['timelineEnd', 'Must be after the timeline start']]);
    expect(settingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
  });
});
