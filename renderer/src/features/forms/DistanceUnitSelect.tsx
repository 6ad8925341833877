import { DISTANCE_UNIT_LABELS, DISTANCE_UNITS, type DistanceUnit } from '../../../../core/units';
import type { ControlProps } from './Field';

/** Kilometres or miles: how the organization reads and types distances and speeds. */
export function DistanceUnitSelect({ control, value, onChange }: { control: ControlProps; value: DistanceUnit; onChange: (unit: DistanceUnit) => void }) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value as DistanceUnit)}>
      {DISTANCE_UNITS.map((u) => (
        <option key={u} value={u}>
          {DISTANCE_UNIT_LABELS[u]}
        </option>
      ))}
    </select>
  );
}
