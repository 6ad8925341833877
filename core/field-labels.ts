import { listText } from './format';

/**
 * One table from a job's field names and paths to the words its forms show ("arrivalWindow.end" ->
 * "Arrival to"), used by the forms' labels, the history lines commands write ("Edited arrival window and
 * notes"), the job panel's reading of older history lines, and errors that name a field.
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  title: 'Title',
  customerId: 'Customer',
  serviceId: 'Service',
  priority: 'Priority',
  teamSize: 'Team size',
  laborHours: 'Labor hours',
  location: 'Address',
  'location.address': 'Address',
  arrivalWindow: 'Arrival window',
  'arrivalWindow.start': 'Arrival from',
  'arrivalWindow.end': 'Arrival to',
  arrival: 'Arrival window',
  notes: 'Notes',
  slot: 'When',
  'slot.start': 'Start',
  'slot.end': 'End',
  'slot.assignees': 'Technicians',
  'when.start': 'Start',
  'when.end': 'End',
  assignees: 'Technicians',
  durationMinutes: 'Duration (minutes)',
  time: 'Time',
  repeat: 'Repeats',
  // Roster records' fields whose form words differ from the field name (lost-write marks name them).
  chatHandle: 'Team chat handle',
  weeklyHours: 'Working hours',
  channels: 'Notifications',
};

/**
 * The form's word for a field path. Index segments are dropped (`changes.2.slot.end` reads as `slot.end`'s
 * "End"); a path the table does not know reads as words ("workingHours" -> "Working hours"), never as code.
 */
export function fieldLabel(path: string): string {
  const segments = path.split('.').filter((s) => s !== '' && !/^\d+$/.test(s));
  for (let i = 0; i < segments.length; i++) {
    const label = FIELD_LABELS[segments.slice(i).join('.')];
    if (label) return label;
  }
  const last = segments.at(-1) ?? path;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "title, arrival window and notes": the fields in lower case as a sentence reads them. */
export function fieldList(fields: readonly string[]): string {
  const words = [...new Set(fields.map((f) => fieldLabel(f).toLowerCase()))];
  return words.length === 0 ? 'nothing' : listText(words);
}

/**
 * A history line as the job panel shows it: lines older desktops wrote with field names ("Edited
 * arrivalWindow, notes") read with the form's words. Other lines are left as written.
 */
export function readableSummary(summary: string): string {
  const edited = /^Edited ([a-z][A-Za-z]*(?:, [a-z][A-Za-z]*)*)( from now on \(.*\))?$/.exec(summary);
  if (!edited) return summary;
  return `Edited ${fieldList(edited[1]!.split(', '))}${edited[2] ?? ''}`;
}
