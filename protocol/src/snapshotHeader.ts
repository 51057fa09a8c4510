// The SNAPSHOT header's presence mask (protocol 9) and the values both ends of one connection keep to
// read it: a table and a state, used once per client per snapshot by the writer and the reader in
// snapshotFrame.ts. PROTOCOL.md, "SNAPSHOT header", is the contract.

/**
 * The bits of SNAPSHOT's `head`: each set bit adds one element after `head`, in this order (lowest
 * bit first). A bit that is clear means "as you hold it" (or, for the pong, "none").
 */
export const SnapshotHeadBit = {
  /** `tick`, absolute. Set exactly when baseAge is 0 (a full snapshot); otherwise tick = held tick + baseAge. */
  TICK: 1,
  /** `lastInputSeq` minus the held one (≥ 1): the seq only grows. */
  INPUT_SEQ: 2,
  /** `inputBuffer`, absolute, when it differs from the held one. */
  INPUT_BUFFER: 4,
  /** `starvedInputs` minus the held one (≥ 1): the count only grows. */
  STARVED: 8,
  /** `droppedInputs` minus the held one (≥ 1): the count only grows. */
  DROPPED: 16,
  /** The pong tuple itself (not a list of one). */
  PONG: 32,
  /**
   * A `deferred` list follows the body (after `kills`): entities a byte budget left out this time,
   * which the client keeps as they are (PROTOCOL.md, "Deferred entities"). Absent: none.
   */
  DEFERRED: 64,
} as const;

/** The bits whose element comes before the body (all but DEFERRED, whose list comes after it). */
export const SNAPSHOT_HEADER_BITS = SnapshotHeadBit.DEFERRED - 1;

/** Every bit of SnapshotHeadBit: a head above this, or negative, is malformed. */
export const SNAPSHOT_HEAD_ALL = SnapshotHeadBit.DEFERRED * 2 - 1;

/**
 * What one connection's two ends hold after each SNAPSHOT: the server what it last sent, the client
 * what it last read. All 0 when the connection opens (a resume is a new connection): that is what
 * a header's absent elements are taken from before the first SNAPSHOT.
 */
export interface SnapshotHeaderState {
  tick: number;
  lastInputSeq: number;
  inputBuffer: number;
  starvedInputs: number;
  droppedInputs: number;
}

/** The input figures of a SNAPSHOT: what SnapshotHeaderState holds besides the tick. */
export type SnapshotInputFigures = Omit<SnapshotHeaderState, 'tick'>;

/**
 * The header's input figures, in wire order after `tick`: each is one number, present when it differs
 * from the held one. An `advance` figure only grows and is sent as its increase (≥ 1); the others
 * as they are. Writer, reader, the slow encoder and the tick peek all walk this one table.
 */
export const SNAPSHOT_INPUT_FIGURES: readonly {
  readonly bit: number;
  readonly key: keyof SnapshotInputFigures;
  readonly advance: boolean;
}[] = [
  { bit: SnapshotHeadBit.INPUT_SEQ, key: 'lastInputSeq', advance: true },
  { bit: SnapshotHeadBit.INPUT_BUFFER, key: 'inputBuffer', advance: false },
  { bit: SnapshotHeadBit.STARVED, key: 'starvedInputs', advance: true },
  { bit: SnapshotHeadBit.DROPPED, key: 'droppedInputs', advance: true },
];

export function newSnapshotHeaderState(): SnapshotHeaderState {
  return { tick: 0, lastInputSeq: 0, inputBuffer: 0, starvedInputs: 0, droppedInputs: 0 };
}
