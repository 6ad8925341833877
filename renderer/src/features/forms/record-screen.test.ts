import { describe, expect, it } from 'vitest';
import { initialRecordScreen, isSelected, openRecord, panelContent, recordSaved, visibleRecords } from './record-screen';

const people = [
  { id: 'a', name: 'Zoe', active: true, skills: ['HVAC'] },
  { id: 'b', name: 'Ana', active: false, skills: ['Plumbing'] },
  { id: 'c', name: 'Bo', active: true, skills: ['hvac', 'Electrical'] },
];
const list = (search: string, showInactive?: boolean) =>
  visibleRecords(people, { search, searchable: (p) => [p.name, ...p.skills], active: (p) => p.active, showInactive, compare: (x, y) => x.name.localeCompare(y.name) }).map((p) => p.id);

describe('record screen: the list', () => {
  it('sorts, and searches every searchable text, trimmed and case-insensitively', () => {
    expect(list('')).toEqual(['b', 'c', 'a']);
    expect(list('  HVac ')).toEqual(['c', 'a']);
    expect(list('nobody')).toEqual([]);
  });
  it('hides inactive records only when "Show inactive" is off', () => {
    expect(list('', false)).toEqual(['c', 'a']);
    expect(list('', true)).toEqual(['b', 'c', 'a']);
    expect(list('plumb', false)).toEqual([]);
  });
});

describe('record screen: the side panel', () => {
  it('opens a record from a search hit, and marks its row', () => {
    const s = initialRecordScreen('c');
    expect(isSelected(s.editing, 'c')).toBe(true);
    expect(isSelected(s.editing, 'a')).toBe(false);
    expect(panelContent(s, people, false)).toEqual({ kind: 'record', record: people[2] });
  });
  it('says loading while the list loads, and missing once it is known not to be there', () => {
    const s = initialRecordScreen('gone');
    expect(panelContent(s, [], true)).toEqual({ kind: 'loading' });
    expect(panelContent(s, people, false)).toEqual({ kind: 'missing' });
    expect(panelContent(initialRecordScreen(), people, false)).toBeNull();
    expect(panelContent(openRecord(initialRecordScreen(), { kind: 'new' }), people, false)).toEqual({ kind: 'new' });
  });
  it('closes after a save with a notice naming the record; opening another clears the notice', () => {
    const open = openRecord(initialRecordScreen(), { kind: 'edit', id: 'a' });
    const saved = recordSaved(open, { id: 'a', created: false, name: 'Zoe' });
    expect(saved).toMatchObject({ editing: null, notice: 'Saved Zoe.' });
    expect(recordSaved(openRecord(saved, { kind: 'new' }), { id: 'n', created: true, name: 'Nia' }).notice).toBe('Created Nia.');
    expect(openRecord(saved, { kind: 'new' }).notice).toBeNull();
  });
  it('can keep a created record open, loading until the list has it', () => {
    const s = recordSaved(openRecord(initialRecordScreen(), { kind: 'new' }), { id: 'n', created: true, name: 'Nia' }, {
      keepCreatedOpen: (name) => `Created ${name}. You can add time off below.`,
    });
    expect(s.editing).toEqual({ kind: 'edit', id: 'n' });
    expect(s.notice).toBe('Created Nia. You can add time off below.');
    expect(panelContent(s, people, false)).toEqual({ kind: 'loading' });
    // An update still closes.
    expect(recordSaved(s, { id: 'n', created: false, name: 'Nia' }, { keepCreatedOpen: () => 'x' }).editing).toBeNull();
  });
});
