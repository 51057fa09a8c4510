// Writes the sprite PNGs in assets/sprites/ from shapes described in code; run once by hand
// (`npx tsx assets/tools/make-sprites.ts`) whenever a sprite changes. No image library: PNG by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** A sprite is a function from a point (pixel units, y down) to a colour; undefined is transparent. */
type Shape = (x: number, y: number) => Rgba | undefined;

/** Samples per pixel along each axis, for antialiased edges. */
const SUPERSAMPLE = 4;

// --- PNG encoding (https://www.w3.org/TR/png-3/): signature, IHDR, one IDAT, IEND. ---

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), as PNG chunks require. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One chunk: length, type, data, CRC over type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit RGBA, non-interlaced PNG of `rgba` (width × height × 4 bytes, row-major). */
function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filters, no interlace
  const rows = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    // Filter type 0 (None) per row: the images are tiny, so smaller output is not worth the code.
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  }
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// --- Rasterizing: average SUPERSAMPLE² samples per pixel, premultiplied so edges do not darken. ---

function rasterize(width: number, height: number, shape: Shape): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const colour = shape(px + (sx + 0.5) / SUPERSAMPLE, py + (sy + 0.5) / SUPERSAMPLE);
          if (!colour) continue;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha;
          g += colour[1] * alpha;
          b += colour[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * width + px) * 4;
      if (a > 0) out.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((a / samples) * 255)], i);
    }
  }
  return out;
}

/** Is (x, y) inside the triangle abc? (Same sign of all three edge cross products.) */
function inTriangle(x: number, y: number, a: [number, number], b: [number, number], c: [number, number]): boolean {
  const d1 = (x - b[0]) * (a[1] - b[1]) - (a[0] - b[0]) * (y - b[1]);
  const d2 = (x - c[0]) * (b[1] - c[1]) - (b[0] - c[0]) * (y - c[1]);
  const d3 = (x - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (y - a[1]);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
}

/** A 32 × 32 player token facing +x (angle 0): outlined disc with a light arrow pointing right. */
function playerToken(body: Rgba, outline: Rgba, arrow: Rgba): Shape {
  const centre = 16;
  return (x, y) => {
    if (inTriangle(x, y, [11, 9], [25, 16], [11, 23])) return arrow;
    const distance = Math.hypot(x - centre, y - centre);
    if (distance <= 12) return body;
    if (distance <= 14.5) return outline;
    return undefined;
  };
}

const SPRITES: Record<string, { width: number; height: number; shape: Shape }> = {
  // Every other player: cool blue.
  'player.png': {
    width: 32,
    height: 32,
    shape: playerToken([74, 144, 217, 255], [20, 45, 80, 255], [235, 242, 250, 255]),
  },
  // The local player: warm orange with a white ring, so it stands out among the blue ones.
  'player-self.png': {
    width: 32,
    height: 32,
    shape: playerToken([245, 150, 35, 255], [255, 255, 255, 255], [70, 35, 5, 255]),
  },
};

const outDir = new URL('../sprites/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const [file, sprite] of Object.entries(SPRITES)) {
  const png = encodePng(sprite.width, sprite.height, rasterize(sprite.width, sprite.height, sprite.shape));
  writeFileSync(new URL(file, outDir), png);
  console.log(`wrote assets/sprites/${file} (${sprite.width}×${sprite.height}, ${png.length} bytes)`);
}
