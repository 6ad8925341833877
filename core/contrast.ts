// WCAG 2.x contrast ratio between two sRGB colours, for the dark-mode checks (issue 22): the e2e reads
// computed colours from the page and holds text to AA (4.5:1), and a unit test holds the token pairs.

export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/**
 * Parses #rgb, #rgba, #rrggbb, #rrggbbaa and the forms getComputedStyle returns: rgb()/rgba(), and
 * color(srgb r g b / a) for a color-mix() in srgb.
 */
export function parseColor(text: string): Rgba | null {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(value);
  if (hex !== null) {
    const digits = hex[1] ?? '';
    if (digits.length === 3 || digits.length === 4) {
      const [r, g, b, a] = [...digits].map((d) => parseInt(d + d, 16));
      return { r: r ?? 0, g: g ?? 0, b: b ?? 0, a: a === undefined ? 1 : a / 255 };
    }
    if (digits.length === 6 || digits.length === 8) {
      const at = (i: number): number => parseInt(digits.slice(i, i + 2), 16);
      return { r: at(0), g: at(2), b: at(4), a: digits.length === 8 ? at(6) / 255 : 1 };
    }
    return null;
  }
  const srgb = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.]+%?))?\s*\)$/.exec(value);
  if (srgb !== null) {
    const alpha = srgb[4];
    return {
      r: Number(srgb[1]) * 255,
      g: Number(srgb[2]) * 255,
      b: Number(srgb[3]) * 255,
      a: alpha === undefined ? 1 : alpha.endsWith('%') ? parseFloat(alpha) / 100 : parseFloat(alpha),
    };
  }
  const fn = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(value);
  if (fn === null) return null;
  const alphaText = fn[4];
  const a =
    alphaText === undefined ? 1 : alphaText.endsWith('%') ? parseFloat(alphaText) / 100 : parseFloat(alphaText);
  return { r: Number(fn[1]), g: Number(fn[2]), b: Number(fn[3]), a };
}

/** A translucent colour as seen over an opaque backdrop. */
export function over(top: Rgba, backdrop: Rgba): Rgba {
  const mix = (t: number, b: number): number => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, backdrop.r), g: mix(top.g, backdrop.g), b: mix(top.b, backdrop.b), a: 1 };
}

export function relativeLuminance(color: Rgba): number {
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b);
}

export function contrastRatio(a: Rgba, b: Rgba): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * Contrast of text over an opaque background, both CSS colour strings (a translucent text colour is blended
 * over the background first). Throws on a colour it cannot read or a translucent background, so a check
 * cannot pass vacuously.
 */
export function contrastOf(foreground: string, background: string): number {
  const fg = parseColor(foreground);
  const bg = parseColor(background);
  if (fg === null || bg === null) throw new Error(`cannot read colours ${foreground} / ${background}`);
  if (bg.a < 1) throw new Error(`background ${background} is translucent: pass the colour it sits on`);
  return contrastRatio(fg.a < 1 ? over(fg, bg) : fg, bg);
}
