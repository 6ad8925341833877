/**
 * Draws the Crewline app icon and writes build/icon.png (1024×1024), build/icon.ico (Windows, PNG
 * entries 16–256) and build/icon.icns (macOS, PNG entries 16–1024). No image library: shapes are
 * signed distance fields, anti-aliased over one pixel, encoded with a small PNG writer on node:zlib.
 *
 * Motif: a dispatch board — a white "C" whose opening lets out three timeline bars in distinct colours.
 * Run: npx tsx build/make-icons.ts   (the outputs are committed; rerun only to change the design)
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];

/** One layer: a signed distance (in icon units, 0..1 across the canvas; < 0 inside) and a colour. */
interface Layer {
  distance: (x: number, y: number) => number;
  colour: (x: number, y: number) => Rgb;
}

function hex(value: string): Rgb {
  const n = Number.parseInt(value.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Rounded rectangle centred at (cx, cy) with half sizes (hw, hh) and corner radius r. */
function roundedRect(cx: number, cy: number, hw: number, hh: number, r: number) {
  return (x: number, y: number): number => {
    const qx = Math.abs(x - cx) - hw + r;
    const qy = Math.abs(y - cy) - hh + r;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

/** Horizontal capsule (a bar with round ends) from x0 to x1 at height y, half thickness h. */
function capsule(x0: number, x1: number, y: number, h: number) {
  return roundedRect((x0 + x1) / 2, y, (x1 - x0) / 2, h, h);
}

/** A ring arc centred at (cx, cy), radius r, half thickness h, open on the right over ±gap radians. */
function letterC(cx: number, cy: number, r: number, h: number, gap: number) {
  const endX = Math.cos(gap) * r;
  const endY = Math.sin(gap) * r;
  return (x: number, y: number): number => {
    const dx = x - cx;
    const dy = y - cy;
    if (Math.abs(Math.atan2(dy, dx)) > gap) return Math.abs(Math.hypot(dx, dy) - r) - h;
    // Inside the opening: distance to the nearer round cap.
    return Math.hypot(dx - endX, Math.abs(dy) - endY) - h;
  };
}

/** The layers, bottom to top, for a body (the rounded square) inset by `margin` on each side. */
function design(margin: number): Layer[] {
  const size = 1 - 2 * margin;
  // Everything else is placed in body coordinates (0..1 across the rounded square).
  const at = (u: number) => margin + u * size;
  const len = (u: number) => u * size;
  const top = hex('#21345a');
  const bottom = hex('#101b31');
  const white = hex('#f4f7fb');
  const cx = at(0.38);
  const cy = at(0.5);
  const bar = len(0.045);
  return [
    {
      distance: roundedRect(0.5, 0.5, size / 2, size / 2, len(0.225)),
      colour: (_x, y) => mix(top, bottom, Math.min(Math.max((y - margin) / size, 0), 1)),
    },
    { distance: letterC(cx, cy, len(0.28), len(0.058), (60 * Math.PI) / 180), colour: () => white },
    { distance: capsule(at(0.33), at(0.78), at(0.37), bar), colour: () => hex('#2ec4b6') },
    { distance: capsule(at(0.44), at(0.86), at(0.5), bar), colour: () => hex('#ffb703') },
    { distance: capsule(at(0.37), at(0.68), at(0.63), bar), colour: () => hex('#ff6b6b') },
  ];
}

/** Renders the layers into straight (non-premultiplied) RGBA. */
function render(layers: Layer[], px: number): Buffer {
  const out = Buffer.alloc(px * px * 4);
  for (let j = 0; j < px; j++) {
    for (let i = 0; i < px; i++) {
      const x = (i + 0.5) / px;
      const y = (j + 0.5) / px;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of layers) {
        const coverage = Math.min(Math.max(0.5 - layer.distance(x, y) * px, 0), 1);
        if (coverage === 0) continue;
        const [lr, lg, lb] = layer.colour(x, y);
        // "over" with premultiplied accumulators
        r = lr * coverage + r * (1 - coverage);
        g = lg * coverage + g * (1 - coverage);
        b = lb * coverage + b * (1 - coverage);
        a = coverage + a * (1 - coverage);
      }
      const o = (j * px + i) * 4;
      out[o] = a > 0 ? Math.round(r / a) : 0;
      out[o + 1] = a > 0 ? Math.round(g / a) : 0;
      out[o + 2] = a > 0 ? Math.round(b / a) : 0;
      out[o + 3] = Math.round(a * 255);
    }
  }
  return out;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** 8-bit RGBA PNG, filter type 0 on every row. */
function encodePng(rgba: Buffer, px: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px, 0);
  ihdr.writeUInt32BE(px, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(px * (px * 4 + 1));
  for (let j = 0; j < px; j++) rgba.copy(raw, j * (px * 4 + 1) + 1, j * px * 4, (j + 1) * px * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICO whose entries are PNG streams (valid since Windows Vista; 256 is written as 0). */
function encodeIco(entries: { px: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  const dir = Buffer.alloc(16 * entries.length);
  let offset = 6 + dir.length;
  entries.forEach(({ px, png }, k) => {
    const o = k * 16;
    dir[o] = px >= 256 ? 0 : px;
    dir[o + 1] = px >= 256 ? 0 : px;
    dir.writeUInt16LE(1, o + 4); // colour planes
    dir.writeUInt16LE(32, o + 6); // bits per pixel
    dir.writeUInt32LE(png.length, o + 8);
    dir.writeUInt32LE(offset, o + 12);
    offset += png.length;
  });
  return Buffer.concat([header, dir, ...entries.map((e) => e.png)]);
}

/** ICNS with PNG-encoded entries (OSTypes that take PNG data since macOS 10.7). */
function encodeIcns(entries: { type: string; png: Buffer }[]): Buffer {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((sum, p) => sum + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

const dir = import.meta.dirname;
// Windows and Linux draw the icon nearly full bleed; macOS icons keep Apple's grid (824 of 1024).
const flat = design(40 / 1024);
const mac = design(100 / 1024);
const pngFor = (layers: Layer[], px: number) => encodePng(render(layers, px), px);

writeFileSync(resolve(dir, 'icon.png'), pngFor(flat, 1024));
writeFileSync(
  resolve(dir, 'icon.ico'),
  encodeIco([16, 24, 32, 48, 64, 128, 256].map((px) => ({ px, png: pngFor(flat, px) }))),
);
const icnsTypes: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];
const macPngs = new Map<number, Buffer>();
for (const [, px] of icnsTypes) if (!macPngs.has(px)) macPngs.set(px, pngFor(mac, px));
writeFileSync(
  resolve(dir, 'icon.icns'),
  encodeIcns(icnsTypes.map(([type, px]) => ({ type, png: macPngs.get(px)! }))),
);
console.log('wrote build/icon.png, build/icon.ico, build/icon.icns');
