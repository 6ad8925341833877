import { ordinal } from '../../../../core/recurrence/rule-text';
import { WEEKDAY_NAMES, WEEKDAYS, type Weekday } from '../../../../core/time';
import { Field } from '../forms/Field';
import { FieldGroup } from '../forms/FieldGroup';
import { repeatWords, toggleWeekday, type RepeatDraft, type RepeatFreq } from './repeat-draft';
import './recurrence.css';

export interface RepeatControlProps {
  value: RepeatDraft;
  onChange: (next: RepeatDraft, changedPath: string) => void;
  /** Year the words read dates in (an end in another year shows it). */
  referenceYear?: number;
  /** The command's field for the rule: errors come back under `<path>.weekdays`, `<path>.end.date`, ... */
  path?: string;
}

const DAYS_OF_MONTH = Array.from({ length: 31 }, (_, i) => i + 1);
const WEEKS = [1, 2, 3, 4, 5];

/**
 * "Repeats": does not repeat / weekly on chosen weekdays every N weeks / monthly on a day of the month or
 * the nth (or last) weekday; ending never, on a date or after N visits. The rule in words is shown live
 * under it while it is valid. Every control carries its field path, so the command's errors land on it.
 */
export function RepeatControl({ value: d, onChange, referenceYear, path = 'repeat' }: RepeatControlProps) {
  const set = (patch: Partial<RepeatDraft>, changed: string) => onChange({ ...d, ...patch }, `${path}.${changed}`);
  const words = repeatWords(d, referenceYear);
  const unit = d.freq === 'monthly' ? 'month' : 'week';
  return (
    <FieldGroup legend="Repeats" path={path} className="rc-repeat" hideLegend>
      <div className="rc-row">
        <Field label="Repeats" path={`${path}.freq`}>
          {(c) => (
            <select {...c} value={d.freq} onChange={(e) => set({ freq: e.target.value as RepeatFreq }, 'freq')}>
              <option value="none">Does not repeat</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </select>
          )}
        </Field>
        {d.freq !== 'none' ? (
          <Field label={`Every … ${unit}s`} path={`${path}.interval`} className="rc-interval">
            {(c) => <input {...c} type="number" min={1} step={1} inputMode="numeric" value={d.interval} onChange={(e) => set({ interval: e.target.value }, 'interval')} />}
          </Field>
        ) : null}
      </div>

      {d.freq === 'weekly' ? (
        <FieldGroup legend="On" path={`${path}.weekdays`} className="rc-weekdays">
          <div className="rc-choices">
            {WEEKDAYS.map((day) => (
              <label key={day} className="rc-day" title={WEEKDAY_NAMES[day]}>
                <input
                  type="checkbox"
                  name={`${path}.weekdays`}
                  value={day}
                  checked={d.weekdays.includes(day)}
                  onChange={(e) => onChange(toggleWeekday(d, day, e.target.checked), `${path}.weekdays`)}
                />
                {WEEKDAY_NAMES[day].slice(0, 3)}
              </label>
            ))}
          </div>
        </FieldGroup>
      ) : null}

      {d.freq === 'monthly' ? (
        <FieldGroup legend="On" path={`${path}.on`} className="rc-monthly">
          <div className="rc-choice-row">
            <label className="rc-radio">
              <input type="radio" name={`${path}.on.by`} value="date" checked={d.monthlyBy === 'date'} onChange={() => set({ monthlyBy: 'date' }, 'on')} />
              Day
            </label>
            <Field label="Day of the month" path={`${path}.on.day`} hideLabel>
              {(c) => (
                <select {...c} value={d.monthDay} disabled={d.monthlyBy !== 'date'} onChange={(e) => set({ monthDay: e.target.value }, 'on.day')}>
                  {DAYS_OF_MONTH.map((n) => (
                    <option key={n} value={String(n)}>
                      {ordinal(n)}
                    </option>
                  ))}
                  <option value="-1">last day</option>
                </select>
              )}
            </Field>
          </div>
          <div className="rc-choice-row">
            <label className="rc-radio">
              <input type="radio" name={`${path}.on.by`} value="weekday" checked={d.monthlyBy === 'weekday'} onChange={() => set({ monthlyBy: 'weekday' }, 'on')} />
              The
            </label>
            <Field label="Which week" path={`${path}.on.week`} hideLabel>
              {(c) => (
                <select {...c} value={d.monthWeek} disabled={d.monthlyBy !== 'weekday'} onChange={(e) => set({ monthWeek: e.target.value }, 'on.week')}>
                  {WEEKS.map((n) => (
                    <option key={n} value={String(n)}>
                      {ordinal(n)}
                    </option>
                  ))}
                  <option value="-1">last</option>
                </select>
              )}
            </Field>
            <Field label="Weekday" path={`${path}.on.weekday`} hideLabel>
              {(c) => (
                <select {...c} value={d.monthWeekday} disabled={d.monthlyBy !== 'weekday'} onChange={(e) => set({ monthWeekday: e.target.value as Weekday }, 'on.weekday')}>
                  {WEEKDAYS.map((day) => (
                    <option key={day} value={day}>
                      {WEEKDAY_NAMES[day]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </FieldGroup>
      ) : null}

      {d.freq !== 'none' ? (
        <FieldGroup legend="Ends" path={`${path}.end`} className="rc-ends">
          <div className="rc-choice-row">
            <label className="rc-radio">
              <input type="radio" name={`${path}.end.type`} value="never" checked={d.endType === 'never'} onChange={() => set({ endType: 'never' }, 'end')} />
              Never
            </label>
          </div>
          <div className="rc-choice-row">
            <label className="rc-radio">
              <input type="radio" name={`${path}.end.type`} value="until" checked={d.endType === 'until'} onChange={() => set({ endType: 'until' }, 'end')} />
              On
            </label>
            <Field label="Last date" path={`${path}.end.date`} hideLabel>
              {(c) => <input {...c} type="date" value={d.until} disabled={d.endType !== 'until'} onChange={(e) => set({ until: e.target.value }, 'end.date')} />}
            </Field>
          </div>
          <div className="rc-choice-row">
            <label className="rc-radio">
              <input type="radio" name={`${path}.end.type`} value="count" checked={d.endType === 'count'} onChange={() => set({ endType: 'count' }, 'end')} />
              After
            </label>
            <Field label="Number of visits" path={`${path}.end.count`} hideLabel className="rc-count">
              {(c) => (
                <input {...c} type="number" min={1} step={1} inputMode="numeric" value={d.count} disabled={d.endType !== 'count'} onChange={(e) => set({ count: e.target.value }, 'end.count')} />
              )}
            </Field>
            <span>visits</span>
          </div>
        </FieldGroup>
      ) : null}

      {d.freq !== 'none' ? (
        <p className="rc-words" data-repeat-words="" aria-live="polite">
          {words ?? 'Finish the choices above to see the repeat in words.'}
        </p>
      ) : null}
    </FieldGroup>
  );
}
