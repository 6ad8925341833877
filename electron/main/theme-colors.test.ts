// The dark palette's text/background pairs hold WCAG AA, and the desktop window's background matches the
// page's in both schemes (no flash). Reads the stylesheets themselves so a colour edit cannot drift.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contrastOf } from '../../core/contrast';
import { DARK_WINDOW_BACKGROUND, LIGHT_WINDOW_BACKGROUND } from './theme-colors';

const css = (name: string): string => readFileSync(fileURLToPath(new URL(`../../renderer/src/styles/${name}`, import.meta.url)), 'utf8');

/** The custom properties of the first `:root {` block after `marker` in `text`. */
function rootTokens(text: string, marker = ''): Map<string, string> {
  const from = text.indexOf(marker);
  const start = text.indexOf(':root {', from);
  const body = text.slice(start, text.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]));
}

const light = rootTokens(css('app.css'));
const dark = rootTokens(css('dark.css'), 'prefers-color-scheme: dark');
const token = (map: Map<string, string>, name: string): string => {
  const value = map.get(name);
  if (value === undefined) throw new Error(`no ${name}`);
  return value;
};

describe('dark palette', () => {
  it('redefines every colour token of the light palette', () => {
    const colours = [...light.keys()].filter((name) => name !== '--cl-font');
    expect(colours.length).toBeGreaterThan(15);
    for (const name of colours) expect(dark.has(name), name).toBe(true);
  });

  it('keeps body text at AA (4.5:1) on every surface', () => {
    for (const surface of ['--cl-bg', '--cl-surface', '--cl-surface-subtle']) {
      for (const text of ['--cl-text', '--cl-muted', '--cl-faint', '--cl-accent', '--cl-danger']) {
        const ratio = contrastOf(token(dark, text), token(dark, surface));
        expect(ratio, `${text} on ${surface}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(contrastOf(token(dark, '--cl-nav-text'), token(dark, '--cl-nav-bg'))).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps each tint pair at AA', () => {
    const hues = ['blue', 'indigo', 'green', 'amber', 'orange', 'red', 'teal', 'violet', 'neutral'];
    for (const hue of hues) {
      const ratio = contrastOf(token(dark, `--cl-dk-${hue}-fg`), token(dark, `--cl-dk-${hue}-bg`));
      expect(ratio, hue).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives the desktop window the page background of each scheme', () => {
    expect(LIGHT_WINDOW_BACKGROUND).toBe(token(light, '--cl-bg'));
    expect(DARK_WINDOW_BACKGROUND).toBe(token(dark, '--cl-bg'));
  });
});
