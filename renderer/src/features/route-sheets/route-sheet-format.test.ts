import { describe, expect, it } from 'vitest';
import { printedNote, PRINTED_NOTE_CHARS } from './route-sheet-format';

describe('printedNote', () => {
  it('prints a note of a usual length as it is', () => {
    const note = 'Gate code 4411. Dog in the yard.';
    expect(printedNote(note)).toBe(note);
    expect(printedNote('x'.repeat(PRINTED_NOTE_CHARS))).toBe('x'.repeat(PRINTED_NOTE_CHARS));
  });

  it('cuts a long note at a word near the limit and says where the rest is', () => {
    const note = 'Ring twice and wait. '.repeat(200);
    const printed = printedNote(note);
    const [kept, tail] = printed.split('…');
    expect(tail).toBe(' (cut: the whole note is in the job)');
    expect(note.startsWith(kept!)).toBe(true);
    expect(kept!.length).toBeGreaterThan(PRINTED_NOTE_CHARS * 0.8);
    expect(kept!.length).toBeLessThanOrEqual(PRINTED_NOTE_CHARS);
    // Cut between words: the next character of the note is the space it was cut at.
    expect(note[kept!.length]).toBe(' ');
  });

  it('cuts one unbroken 10,000-character word at the limit', () => {
    const printed = printedNote('A'.repeat(10_000));
    expect(printed).toBe(`${'A'.repeat(PRINTED_NOTE_CHARS)}… (cut: the whole note is in the job)`);
  });
});
