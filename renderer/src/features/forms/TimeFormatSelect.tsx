import { formatterFor, TIME_FORMATS, type TimeFormat } from '../../../../core/format';
import type { ControlProps } from './Field';

/** 12- or 24-hour clock, each option showing the same afternoon time as it will read ("1:30 PM", "13:30"). */
const SAMPLE_MS = Date.UTC(2026, 0, 5, 13, 30);
const label = (f: TimeFormat) => `${f === '12h' ? '12-hour' : '24-hour'} (${formatterFor({ timeZone: 'UTC', timeFormat: f }).time(SAMPLE_MS)})`;

export function TimeFormatSelect({ control, value, onChange }: { control: ControlProps; value: TimeFormat; onChange: (format: TimeFormat) => void }) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value as TimeFormat)}>
      {TIME_FORMATS.map((f) => (
        <option key={f} value={f}>
          {label(f)}
        </option>
      ))}
    </select>
  );
}
