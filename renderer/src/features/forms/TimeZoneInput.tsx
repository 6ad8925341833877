import { useId } from 'react';
import type { ControlProps } from './Field';
import { COMMON_TIME_ZONES } from './time-zone';

/** An IANA time zone typed or picked from the common ones; any name is accepted (the backend judges it). */
export function TimeZoneInput({ control, value, onChange }: { control: ControlProps; value: string; onChange: (zone: string) => void }) {
  const listId = useId();
  return (
    <>
      <input {...control} type="text" autoComplete="off" spellCheck={false} list={listId} value={value} onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId}>
        {COMMON_TIME_ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
