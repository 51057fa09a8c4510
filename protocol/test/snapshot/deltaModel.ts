// Test model for delta snapshots: a random world history on the server side, clients with
// baselines, skipped sends, reconnects and a small history ring. Used by the property tests.
import { decodeMulti } from '@msgpack/msgpack';
import { mulberry32 } from '../../src/random.js';
import { SnapshotDecoder } from '../../src/snapshot/decodeSnapshot.js';
import { SnapshotEncoder } from '../../src/snapshot/encodeSnapshot.js';
import type { EntityFieldName } from '../../src/snapshot/entityFields.js';
import { ENTITY_FIELDS, FIELD_COUNT, FieldIndex } from '../../src/snapshot/entityFields.js';
import { MsgpackWriter } from '../../src/snapshot/msgpackWriter.js';
import type { Predictor, WorldBounds } from '../../src/snapshot/predict.js';
import { StateRing } from '../../src/snapshot/stateRing.js';
import { WorldState } from '../../src/snapshot/worldState.js';

export interface HistoryParams {
  seed: number;
  ticks: number;
  maxEntities: number;
  ringSize: number;
  clients: number;
  /** World edge in quanta on both axes (small worlds make clamping common). */
  worldMax: number;
  spawnChance: number;
  despawnChance: number;
  velocityChangeChance: number;
  teleportChance: number;
  skipChance: number;
  /** Chance per tick per client of a long stall (skips sends for ringSize + 1 ticks). */
  stallChance: number;
  reconnectChance: number;
}

export interface HistoryReport {
  /** Snapshots applied whose prediction had to clamp a moving entity at an edge. */
  clampedPredictions: number;
  /** Full snapshots sent because the client's baseline had left the ring. */
  evictions: number;
  deltasApplied: number;
  fullApplied: number;
  /** Compared late joiner (one full snapshot) to a client that applied every delta. */
  lateJoinChecks: number;
  /** The first disagreement, if any: the test fails on it. */
  mismatch?: string;
}

interface ServerEntity {
  id: number;
  generation: number;
  values: number[];
}

interface ModelClient {
  state: WorldState;
  spare: WorldState;
  decoder: SnapshotDecoder;
  baselineTick: number;
  stalledUntil: number;
  hasState: boolean;
}

const VELOCITIES = [0, 0, 107, -107, 75, -75, 3, -3, 500, -500, 32767, -32768];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(0, value));
}

/** Decode a body with an independent MessagePack library, as a third-party client would. */
export function decodeBody(tick: number, bytes: Uint8Array) {
  const [baseAge, created, changed, removed] = [...decodeMulti(bytes)] as [number, number[][], number[], number[]];
  return {
    tick,
    baseAge,
    created: created.map((tuple) => {
      const entity: Record<string, number> = { id: tuple[0]! };
      ENTITY_FIELDS.forEach((field, f) => {
        entity[field.name] = tuple[1 + f]!;
      });
      return entity as { id: number } & Record<EntityFieldName, number>;
    }),
    changed,
    removed,
  };
}

/** Run one random history; `decoderPredictors` lets a test break the client's side on purpose. */
export function runHistory(
  params: HistoryParams,
  decoderPredictors?: { readonly [K in EntityFieldName]: Predictor },
): HistoryReport {
  const random = mulberry32(params.seed);
  const bounds: WorldBounds = { maxX: params.worldMax, maxY: params.worldMax };
  const maxId = params.maxEntities * 2 + 2;
  const ring = new StateRing(params.ringSize, params.maxEntities, maxId);
  const encoder = new SnapshotEncoder(params.maxEntities, bounds);
  const writer = new MsgpackWriter(64);
  const report: HistoryReport = {
    clampedPredictions: 0,
    evictions: 0,
    deltasApplied: 0,
    fullApplied: 0,
    lateJoinChecks: 0,
  };
  const entities: ServerEntity[] = [];
  let generation = 0;
  const newClient = (): ModelClient => ({
    state: new WorldState(params.maxEntities, maxId),
    spare: new WorldState(params.maxEntities, maxId),
    decoder: new SnapshotDecoder(maxId, bounds, decoderPredictors),
    baselineTick: 0,
    stalledUntil: 0,
    hasState: false,
  });
  const clients = Array.from({ length: params.clients }, newClient);

  const lowestFreeId = () => {
    const used = new Set(entities.map((e) => e.id));
    for (let id = 1; id <= maxId; id++) if (!used.has(id)) return id;
    throw new Error('no id');
  };
  const spawn = () => {
    const values = new Array<number>(FIELD_COUNT).fill(0);
    values[FieldIndex.vx] = pick(random, VELOCITIES);
    values[FieldIndex.vy] = pick(random, VELOCITIES);
    values[FieldIndex.x] = Math.floor(random() * (params.worldMax + 1));
    values[FieldIndex.y] = Math.floor(random() * (params.worldMax + 1));
    values[FieldIndex.angle] = Math.floor(random() * 256);
    values[FieldIndex.hp] = 100;
    values[FieldIndex.kind] = random() < 0.3 ? 1 : 0;
    entities.push({ id: lowestFreeId(), generation: ++generation, values });
  };
  for (let i = 0; i < Math.floor(random() * params.maxEntities); i++) spawn();

  for (let tick = 1; tick <= params.ticks; tick++) {
    // The server's tick: despawns, spawns, then every entity moves (like step()), with surprises.
    for (let i = entities.length - 1; i >= 0; i--) if (random() < params.despawnChance) entities.splice(i, 1);
    while (entities.length < params.maxEntities && random() < params.spawnChance) spawn();
    for (const entity of entities) {
      const v = entity.values;
      if (random() < params.velocityChangeChance) {
        v[FieldIndex.vx] = pick(random, VELOCITIES);
        v[FieldIndex.vy] = pick(random, VELOCITIES);
        if (random() < 0.5) v[FieldIndex.angle] = Math.floor(random() * 256);
      }
      if (random() < params.teleportChance) {
        v[FieldIndex.x] = Math.floor(random() * (params.worldMax + 1));
        v[FieldIndex.y] = Math.floor(random() * (params.worldMax + 1));
        if (random() < 0.3) v[FieldIndex.hp] = Math.floor(random() * 101);
      } else {
        v[FieldIndex.x] = clamp(v[FieldIndex.x]! + v[FieldIndex.vx]!, params.worldMax);
        v[FieldIndex.y] = clamp(v[FieldIndex.y]! + v[FieldIndex.vy]!, params.worldMax);
      }
    }
    const current = ring.next(tick);
    for (const entity of entities) {
      const row = current.add(entity.id, entity.generation);
      current.values.set(entity.values, row * FIELD_COUNT);
    }

    // Every client: maybe reconnect, maybe skip (backpressure) or stall, else get a snapshot.
    for (let c = 0; c < clients.length; c++) {
      if (random() < params.reconnectChance) clients[c] = newClient();
      const client = clients[c]!;
      if (random() < params.stallChance) client.stalledUntil = tick + params.ringSize + 1;
      if (tick < client.stalledUntil || random() < params.skipChance) continue;
      let baseline = client.baselineTick > 0 ? ring.get(client.baselineTick) : undefined;
      if (client.baselineTick > 0 && baseline === undefined) report.evictions++;
      if (baseline !== undefined && countsClamped(baseline, current, bounds)) report.clampedPredictions++;
      encoder.encode(baseline, current, writer);
      const body = decodeBody(tick, writer.toBytes());
      const result = client.decoder.apply(client.hasState ? client.state : undefined, body, client.spare);
      if (!result.ok) {
        report.mismatch ??= `tick ${tick} client ${c}: ${result.reason}`;
        return report;
      }
      [client.state, client.spare] = [client.spare, client.state];
      client.hasState = true;
      client.baselineTick = tick;
      if (baseline === undefined) report.fullApplied++;
      else report.deltasApplied++;
      const expected = JSON.stringify(current.toObject());
      const actual = JSON.stringify(client.state.toObject());
      if (expected !== actual) {
        report.mismatch ??= `tick ${tick} client ${c} (${baseline ? `delta from ${baseline.tick}` : 'full'}): differs`;
        return report;
      }
      baseline = undefined;
    }

    // Late joiner: one full snapshot now equals what a delta-applying client holds.
    const holder = clients.find((client) => client.hasState && client.baselineTick === tick);
    if (holder !== undefined && random() < 0.2) {
      const late = newClient();
      encoder.encode(undefined, current, writer);
      const result = late.decoder.apply(undefined, decodeBody(tick, writer.toBytes()), late.spare);
      report.lateJoinChecks++;
      if (!result.ok || JSON.stringify(late.spare.toObject()) !== JSON.stringify(holder.state.toObject())) {
        report.mismatch ??= `tick ${tick}: late joiner differs from delta client`;
        return report;
      }
    }
  }
  return report;
}

/** Whether some entity present in both states moved into an edge with its velocity pushing past it. */
function countsClamped(baseline: WorldState, current: WorldState, bounds: WorldBounds): boolean {
  const ticks = current.tick - baseline.tick;
  for (let row = 0; row < current.count; row++) {
    const baseRow = baseline.rowOf(current.ids[row]!);
    if (baseRow < 0) continue;
    const at = row * FIELD_COUNT;
    const baseAt = baseRow * FIELD_COUNT;
    for (const [p, v, max] of [
      [FieldIndex.x, FieldIndex.vx, bounds.maxX],
      [FieldIndex.y, FieldIndex.vy, bounds.maxY],
    ] as const) {
      const unclamped = baseline.values[baseAt + p]! + ticks * current.values[at + v]!;
      if ((unclamped < 0 || unclamped > max) && current.values[at + p] === clamp(unclamped, max)) return true;
    }
  }
  return false;
}
