import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html';

describe('escapeHtml', () => {
  it('escapes every character that could end a text node or a quoted attribute', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')"> & co`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; co');
  });

  it('leaves other text alone, including entities already written out', () => {
    expect(escapeHtml('Ada Lovelace · 08:00–10:00\nTeam 2')).toBe('Ada Lovelace · 08:00–10:00\nTeam 2');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});
