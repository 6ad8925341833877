import { describe, expect, it } from 'vitest';
import { countText, listText, pluralWord } from './format';

describe('plural words and lists (issue #22)', () => {
  it('picks the word by Intl.PluralRules, without the number', () => {
    expect(pluralWord(1, 'field')).toBe('field');
    expect(pluralWord(0, 'field')).toBe('fields');
    expect(pluralWord(2, 'has', 'have')).toBe('have');
    // French counts 0 and 1 as "one"; English does not.
    expect(pluralWord(0, 'champ', 'champs', 'fr-FR')).toBe('champ');
  });

  it('counts with phrases whose verb agrees with the number', () => {
    expect(countText(1, 'unsaved board change is', 'unsaved board changes are')).toBe('1 unsaved board change is');
    expect(countText(1234, 'unsaved board change is', 'unsaved board changes are')).toBe('1,234 unsaved board changes are');
  });

  it('lists names as a sentence does', () => {
    expect(`Unknown ${pluralWord(2, 'provider')}: ${listText(['p1', 'p2'])}`).toBe('Unknown providers: p1 and p2');
  });
});
