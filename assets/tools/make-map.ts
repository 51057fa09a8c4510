// Writes the game's map, assets/maps/arena.json (Tiled JSON), and its tileset, assets/maps/tiles.png,
// from the drawing below; run once by hand (`npx tsx assets/tools/make-map.ts`) whenever either
// changes, and commit both files. The output is the same on every run. The drawing is the source:
// a map edited in Tiled is overwritten by the next run unless the drawing is changed to match.
import { mkdirSync, writeFileSync } from 'node:fs';
import { encodePng } from './png.js';

/** Tile side in Tiled pixels = world units. */
const TILE = 32;

/**
 * The top half of the map (48 × 16 tiles); the bottom half is the same turned half a turn about the
 * centre, so every spawn and every piece of cover has a twin and neither side is favoured.
 *   # wall   o crate (cover; a wall too)   . floor   S spawn point (floor with a pad)
 * Around the edges a border; in the corners two kinds of room with two doors each; in the middle a
 * keep with a door on every side and a crate block in its centre; between them ledges, pillars and
 * crates to break long sight lines.
 */
const TOP_HALF = [
  '################################################',
  '#.........#..........................#.........#',
  '#..S......#....oo.............oo.....#.....S...#',
  '#.........#....oo.............oo...............#',
  '#......................S.......................#',
  '#....................................####..#####',
  '#####..####....................................#',
  '#.............######........######.............#',
  '#..................................#...........#',
  '#..oo...#..........................#.....oo....#',
  '#..oo...#..........................#..S..oo....#',
  '#.......#.........#####..#####.....#...........#',
  '#.......#...oo....#..........#.....#...........#',
  '#.S.....#...oo....#.o........#........#######..#',
  '#.................#..........#.................#',
  '#......................oo......................#',
] as const;

const COLS = TOP_HALF[0].length;
const ROWS = TOP_HALF.length * 2;
const GRID = [...TOP_HALF, ...TOP_HALF.map((row) => [...row].reverse().join('')).reverse()];

/** The tileset, left to right: local tile id = index. Walls and crates collide. */
const TILES = ['floor', 'floor-worn', 'spawn-pad', 'wall', 'crate'] as const;
type TileName = (typeof TILES)[number];
const FIRST_GID = 1;
const gid = (name: TileName) => FIRST_GID + TILES.indexOf(name);
const COLLIDES: readonly TileName[] = ['wall', 'crate'];

// --- Checks: a map that breaks these is a drawing mistake, so the tool refuses to write it. ---

function check(condition: boolean, why: string): void {
  if (!condition) throw new Error(`make-map: ${why}`);
}

const at = (col: number, row: number) => GRID[row]?.[col] ?? '#';
const solid = (col: number, row: number) => at(col, row) === '#' || at(col, row) === 'o';

for (const [row, line] of GRID.entries()) {
  check(line.length === COLS, `row ${row} is ${line.length} tiles wide, not ${COLS}`);
  check(/^[#o.S]+$/.test(line), `row ${row} has a character other than # o . S`);
}
for (let col = 0; col < COLS; col++) check(solid(col, 0) && solid(col, ROWS - 1), `border open at column ${col}`);
for (let row = 0; row < ROWS; row++) check(solid(0, row) && solid(COLS - 1, row), `border open at row ${row}`);
// Two walls meeting only at a corner would let a ray slip between them (protocol/src/map/raycast.ts).
for (let row = 0; row + 1 < ROWS; row++) {
  for (let col = 0; col + 1 < COLS; col++) {
    const a = solid(col, row);
    const b = solid(col + 1, row);
    const c = solid(col, row + 1);
    const d = solid(col + 1, row + 1);
    check(!(a && d && !b && !c) && !(b && c && !a && !d), `walls meet only diagonally at (${col + 1}, ${row + 1})`);
  }
}
// Every floor tile is reachable from every other (a player's 24-unit box fits any 1-tile gap).
const floor: [number, number][] = [];
for (let row = 0; row < ROWS; row++) for (let col = 0; col < COLS; col++) if (!solid(col, row)) floor.push([col, row]);
const reached = new Set([`${floor[0]![0]},${floor[0]![1]}`]);
const queue = [floor[0]!];
while (queue.length > 0) {
  const [col, row] = queue.pop()!;
  for (const [c, r] of [
    [col + 1, row],
    [col - 1, row],
    [col, row + 1],
    [col, row - 1],
  ] as const) {
    if (!solid(c, r) && !reached.has(`${c},${r}`)) {
      reached.add(`${c},${r}`);
      queue.push([c, r]);
    }
  }
}
check(reached.size === floor.length, `${floor.length - reached.size} floor tiles cannot be reached`);
const spawnTiles = floor.filter(([col, row]) => at(col, row) === 'S');
check(spawnTiles.length >= 8, `only ${spawnTiles.length} spawn points; the game wants 8 or more`);

// --- The tileset image: TILES.length tiles of TILE × TILE in one row, drawn pixel by pixel. ---

type Rgb = readonly [number, number, number];
/** Each tile as a function from a pixel (0..TILE-1, y down) to its colour. */
const DRAW: Record<TileName, (x: number, y: number) => Rgb> = {
  floor: (x, y) => floorPixel(x, y),
  'floor-worn': (x, y) => {
    // A few scuffs, placed by a fixed hash of the pixel so the image never changes.
    const h = ((x * 73856093) ^ (y * 19349663)) >>> 0;
    return h % 23 === 0 && x > 1 && y > 1 && x < TILE - 2 && y < TILE - 2 ? [40, 49, 66] : floorPixel(x, y);
  },
  'spawn-pad': (x, y) => {
    const d = Math.hypot(x + 0.5 - TILE / 2, y + 0.5 - TILE / 2);
    if (d >= 9 && d <= 11.5) return [64, 176, 164];
    if (d <= 3) return [96, 210, 196];
    return floorPixel(x, y);
  },
  wall: (x, y) => {
    const edge = Math.min(x, y);
    const farEdge = Math.max(x, y);
    if (edge < 2 && farEdge < TILE - 2) return [108, 122, 154]; // lit top and left
    if (farEdge >= TILE - 2) return [42, 50, 68]; // shaded bottom and right
    // Two courses of stone blocks, joints offset between them.
    const seam = y === 15 || y === 16 || (y < 15 && x === 16) || (y > 16 && (x === 7 || x === 24));
    return seam ? [58, 68, 90] : [78, 90, 118];
  },
  crate: (x, y) => {
    if (x < 2 || y < 2 || x >= TILE - 2 || y >= TILE - 2) return [88, 60, 28]; // frame
    if (x < 3 || y < 3) return [176, 132, 74]; // light on the frame's inner top-left
    if (Math.abs(x - y) <= 1 || Math.abs(x + y - (TILE - 1)) <= 1) return [112, 80, 40]; // cross braces
    return y % 8 === 0 ? [120, 88, 46] : [142, 104, 56]; // planks
  },
};

function floorPixel(x: number, y: number): Rgb {
  // A faint line on the right and bottom edge of each tile: the floor reads as a grid of tiles.
  return x === TILE - 1 || y === TILE - 1 ? [24, 30, 42] : [30, 37, 52];
}

function tilesetPng(): Buffer {
  const width = TILE * TILES.length;
  const rgba = new Uint8Array(width * TILE * 4);
  for (const [index, name] of TILES.entries()) {
    for (let y = 0; y < TILE; y++) {
      for (let x = 0; x < TILE; x++) rgba.set([...DRAW[name](x, y), 255], (y * width + index * TILE + x) * 4);
    }
  }
  return encodePng(width, TILE, rgba);
}

// --- The Tiled JSON map: layers Ground (looks only), Walls (collides) and Spawns (points). ---

function groundGid(col: number, row: number): number {
  if (at(col, row) === 'S') return gid('spawn-pad');
  // Worn tiles scattered by a fixed integer hash of the tile: irregular, but the same on every run.
  let h = (Math.imul(col, 374761393) + Math.imul(row, 668265263)) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) % 7 === 0 ? gid('floor-worn') : gid('floor');
}

function wallGid(col: number, row: number): number {
  return at(col, row) === '#' ? gid('wall') : at(col, row) === 'o' ? gid('crate') : 0;
}

function layerData(cell: (col: number, row: number) => number): number[] {
  return Array.from({ length: COLS * ROWS }, (_, i) => cell(i % COLS, Math.floor(i / COLS)));
}

const tileLayer = (id: number, name: string, data: number[]) => ({
  data,
  height: ROWS,
  id,
  name,
  opacity: 1,
  type: 'tilelayer',
  visible: true,
  width: COLS,
  x: 0,
  y: 0,
});

const spawnObjects = spawnTiles.map(([col, row], index) => ({
  height: 0,
  id: index + 1,
  name: `spawn ${index + 1}`,
  point: true,
  rotation: 0,
  type: 'spawn',
  visible: true,
  width: 0,
  x: col * TILE + TILE / 2,
  y: row * TILE + TILE / 2,
}));

const map = {
  compressionlevel: -1,
  height: ROWS,
  infinite: false,
  layers: [
    tileLayer(1, 'Ground', layerData(groundGid)),
    tileLayer(2, 'Walls', layerData(wallGid)),
    {
      draworder: 'topdown',
      id: 3,
      name: 'Spawns',
      objects: spawnObjects,
      opacity: 1,
      type: 'objectgroup',
      visible: true,
      x: 0,
      y: 0,
    },
  ],
  nextlayerid: 4,
  nextobjectid: spawnObjects.length + 1,
  orientation: 'orthogonal',
  properties: [{ name: 'generatedBy', type: 'string', value: 'assets/tools/make-map.ts' }],
  renderorder: 'right-down',
  tileheight: TILE,
  tilesets: [
    {
      columns: TILES.length,
      firstgid: FIRST_GID,
      image: 'tiles.png',
      imageheight: TILE,
      imagewidth: TILE * TILES.length,
      margin: 0,
      name: 'tiles',
      spacing: 0,
      tilecount: TILES.length,
      tileheight: TILE,
      tilewidth: TILE,
      tiles: TILES.map((name, id) => ({
        id,
        properties: [
          { name: 'collides', type: 'bool', value: COLLIDES.includes(name) },
          { name: 'name', type: 'string', value: name },
        ],
      })),
    },
  ],
  tilewidth: TILE,
  type: 'map',
  version: '1.10',
  width: COLS,
};

/** JSON with one line per map row in the tile layers, so a diff of the file shows which tiles changed. */
function mapJson(): string {
  const rowsOf = (data: number[]) =>
    Array.from({ length: ROWS }, (_, row) => data.slice(row * COLS, (row + 1) * COLS).join(',')).join(',\n        ');
  const marked = JSON.stringify(
    { ...map, layers: map.layers.map((layer) => ('data' in layer ? { ...layer, data: `@data:${layer.id}` } : layer)) },
    null,
    2,
  );
  return `${marked.replace(/"@data:(\d+)"/g, (_, id: string) => {
    const layer = map.layers.find((candidate) => candidate.id === Number(id))!;
    return `[\n        ${rowsOf((layer as { data: number[] }).data)}\n      ]`;
  })}\n`;
}

const outDir = new URL('../maps/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const png = tilesetPng();
writeFileSync(new URL('tiles.png', outDir), png);
console.log(`wrote assets/maps/tiles.png (${TILE * TILES.length}×${TILE}, ${png.length} bytes)`);
const json = mapJson();
writeFileSync(new URL('arena.json', outDir), json);
console.log(
  `wrote assets/maps/arena.json (${COLS}×${ROWS} tiles of ${TILE} units, ${spawnObjects.length} spawns, ${json.length} bytes)`,
);
