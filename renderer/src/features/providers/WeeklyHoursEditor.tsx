import type { WeeklyHours, WorkInterval } from '../../../../core/model';
import { localTimeMinutes, WEEKDAYS, type Weekday } from '../../../../core/time';
import { Field } from '../forms/Field';
import { FieldGroup } from '../forms/FieldGroup';
import { normalizeTime } from '../forms/values';
import { WEEKDAY_NAMES as DAY_NAMES } from '../../../../core/time';
import { Button } from '../../components/Button.tsx';

export interface WeeklyHoursEditorProps {
  value: WeeklyHours;
  onChange: (next: WeeklyHours) => void;
  /** Called with the path that was edited (e.g. `weeklyHours.mon`) so its errors can be cleared. */
  onEdited?: (path: string) => void;
  /** The field path of the whole week (default `weeklyHours`; the organization's usual week: `defaultWeeklyHours`). */
  path?: string;
  legend?: string;
}

const VALID_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const toTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A sensible next interval: after the day's last one (two hours), else a working day. */
function nextInterval(list: readonly WorkInterval[]): WorkInterval {
  const last = list[list.length - 1];
  if (!last) return { start: '08:00', end: '17:00' };
  const from = VALID_TIME.test(last.end) ? localTimeMinutes(last.end) : NaN;
  if (Number.isNaN(from) || from >= 23 * 60) return { start: '', end: '' };
  const start = Math.min(from + 60, 23 * 60);
  return { start: toTime(start), end: toTime(Math.min(start + 120, 24 * 60)) };
}

/**
 * Working hours per weekday: zero or more HH:MM intervals each. Inputs are named by their field path
 * (`weeklyHours.mon.0.start`), so the backend's errors land on the exact interval; a day-level error
 * (overlapping intervals, too many) shows under the day.
 */
export function WeeklyHoursEditor({ value, onChange, onEdited, path = 'weeklyHours', legend = 'Working hours' }: WeeklyHoursEditorProps) {
  const setDay = (day: Weekday, list: WorkInterval[]) => {
    onChange({ ...value, [day]: list });
    onEdited?.(`${path}.${day}`);
  };
  const copyMondayToWeekdays = () => {
    const mon = value.mon.map((i) => ({ ...i }));
    onChange({ ...value, tue: mon.map((i) => ({ ...i })), wed: mon.map((i) => ({ ...i })), thu: mon.map((i) => ({ ...i })), fri: mon.map((i) => ({ ...i })) });
    for (const d of ['tue', 'wed', 'thu', 'fri']) onEdited?.(`${path}.${d}`);
  };

  return (
    <FieldGroup legend={legend} path={path} className="prov-hours" hint="24-hour clock, HH:MM. Several intervals a day are allowed (e.g. a lunch break); no intervals = day off.">
      <div className="prov-hours-days">
        {WEEKDAYS.map((day) => {
          const list = value[day];
          return (
            <FieldGroup key={day} legend={DAY_NAMES[day]} path={`${path}.${day}`} className="prov-day" hideLegend>
              <div className="prov-day-row" data-day={day}>
                <span className="prov-day-name" aria-hidden="true">
                  {DAY_NAMES[day].slice(0, 3)}
                </span>
                <div className="prov-day-intervals">
                  {list.length === 0 ? <span className="adm-muted prov-day-off">Day off</span> : null}
                  {list.map((interval, index) => {
                    const base = `${path}.${day}.${index}`;
                    const label = `${DAY_NAMES[day]} interval ${index + 1}`;
                    const update = (part: 'start' | 'end', text: string) => {
                      const next = list.map((i, n) => (n === index ? { ...i, [part]: text } : i));
                      setDay(day, next);
                    };
                    return (
                      <div className="prov-interval" key={index} data-interval={base}>
                        <Field label={`${label} start`} path={`${base}.start`} hideLabel className="prov-time">
                          {(control) => (
                            <input
                              {...control}
                              type="text"
                              inputMode="numeric"
                              autoComplete="off"
                              placeholder="HH:MM"
                              maxLength={5}
                              value={interval.start}
                              onChange={(e) => update('start', e.target.value)}
                              onBlur={(e) => {
                                const t = normalizeTime(e.target.value);
                                if (t !== interval.start) update('start', t);
                              }}
                            />
                          )}
                        </Field>
                        <span className="prov-interval-dash" aria-hidden="true">
                          –
                        </span>
                        <Field label={`${label} end`} path={`${base}.end`} hideLabel className="prov-time">
                          {(control) => (
                            <input
                              {...control}
                              type="text"
                              inputMode="numeric"
                              autoComplete="off"
                              placeholder="HH:MM"
                              maxLength={5}
                              value={interval.end}
                              onChange={(e) => update('end', e.target.value)}
                              onBlur={(e) => {
                                const t = normalizeTime(e.target.value);
                                if (t !== interval.end) update('end', t);
                              }}
                            />
                          )}
                        </Field>
                        <Button
                          small
                          aria-label={`Remove ${label}`}
                          title="Remove interval"
                          onClick={() => setDay(day, list.filter((_, n) => n !== index))}
                        >
                          ×
                        </Button>
                      </div>
                    );
                  })}
                </div>
                <Button
                  small
                  className="prov-add-interval"
                  aria-label={`Add interval on ${DAY_NAMES[day]}`}
                  onClick={() => setDay(day, [...list, nextInterval(list)])}
                  disabled={list.length >= 6}
                >
                  + Add
                </Button>
              </div>
            </FieldGroup>
          );
        })}
      </div>
      <div className="adm-actions">
        <Button small onClick={copyMondayToWeekdays}>
          Copy Monday to Tue–Fri
        </Button>
      </div>
    </FieldGroup>
  );
}
