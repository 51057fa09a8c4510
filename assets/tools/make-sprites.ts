// Writes the sprite PNGs in assets/sprites/ from shapes described in code; run once by hand
// (`npx tsx assets/tools/make-sprites.ts`) whenever a sprite changes. No image library: png.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { encodePng } from './png.js';

type Rgba = readonly [number, number, number, number];
/** A sprite is a function from a point (pixel units, y down) to a colour; undefined is transparent. */
type Shape = (x: number, y: number) => Rgba | undefined;

/** Samples per pixel along each axis, for antialiased edges. */
const SUPERSAMPLE = 4;

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

/** Alpha scaled by `fraction` (0..1), for glows that fade with distance. */
function fade(colour: Rgba, fraction: number): Rgba {
  return [colour[0], colour[1], colour[2], Math.round(colour[3] * Math.max(0, Math.min(1, fraction)))];
}

/** A 12 × 12 projectile: a hot white core in an orange glow that fades out to the edge. */
function projectileOrb(): Shape {
  return (x, y) => {
    const distance = Math.hypot(x - 6, y - 6);
    if (distance <= 2.5) return [255, 250, 220, 255];
    if (distance <= 6) return fade([255, 140, 40, 255], 1 - (distance - 2.5) / 3.5);
    return undefined;
  };
}

/** A 24 × 24 hit spark: an eight-pointed star, white at the centre, yellow at the tips. */
function hitSpark(): Shape {
  return (x, y) => {
    const dx = x - 12;
    const dy = y - 12;
    const distance = Math.hypot(dx, dy);
    const spike = Math.max(0, Math.cos(4 * Math.atan2(dy, dx))) ** 3;
    const reach = 3.5 + 8 * spike;
    if (distance > reach) return undefined;
    return distance <= 3 ? [255, 255, 255, 255] : fade([255, 220, 90, 255], 1.2 - distance / reach);
  };
}

/** A 40 × 40 death marker: a red burst ring around a dark cross, drawn where a player fell. */
function deathMarker(): Shape {
  return (x, y) => {
    const dx = x - 20;
    const dy = y - 20;
    const distance = Math.hypot(dx, dy);
    // The cross: two bars 4 px wide along the diagonals, out to radius 10.
    if (distance <= 10 && (Math.abs(dx - dy) <= 2.8 || Math.abs(dx + dy) <= 2.8)) return [120, 20, 25, 255];
    if (distance >= 14 && distance <= 19) return fade([230, 60, 50, 255], 1 - Math.abs(distance - 16.5) / 2.5);
    if (distance < 14) return [230, 60, 50, 70];
    return undefined;
  };
}

/** A 32 × 8 tracer segment along +x: a bright core line fading to the sides; stretched to the shot's length. */
function tracerBeam(): Shape {
  return (_x, y) => {
    const off = Math.abs(y - 4);
    if (off <= 1) return [255, 255, 230, 255];
    if (off <= 4) return fade([255, 210, 80, 255], 1 - (off - 1) / 3);
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
  // The secondary weapon's projectile in flight.
  'projectile.png': { width: 12, height: 12, shape: projectileOrb() },
  // Where a shot hit a player or a wall, shown briefly.
  'hit.png': { width: 24, height: 24, shape: hitSpark() },
  // Where a player died, shown until it respawns.
  'death.png': { width: 40, height: 40, shape: deathMarker() },
  // The primary weapon's hitscan trace, stretched from the muzzle to where the ray stopped.
  'tracer.png': { width: 32, height: 8, shape: tracerBeam() },
};

const outDir = new URL('../sprites/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const [file, sprite] of Object.entries(SPRITES)) {
  const png = encodePng(sprite.width, sprite.height, rasterize(sprite.width, sprite.height, sprite.shape));
  writeFileSync(new URL(file, outDir), png);
  console.log(`wrote assets/sprites/${file} (${sprite.width}×${sprite.height}, ${png.length} bytes)`);
}
