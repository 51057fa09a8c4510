// The fast path for INPUT, the one message every client sends every tick: reads the MessagePack
// bytes in place, checks every field against inputFields, and fills the reader's one message object.
// Runs once per received frame on the server, before (and instead of) the general decoder.
//
// It accepts only what it can check exactly as decodeClientFrame does: a fixarray of 9, id 2, and
// each field as a fixint, int/uint 8/16/32, float 32 or float 64, ending at the last byte. Anything
// else (another message, a rarer encoding, a value out of range, trailing bytes) returns false and
// the caller runs decodeClientFrame, which decides and names the error. So the fast path can only
// ever accept a frame the general decoder accepts, with the same values (a test checks both ways).
import type { FieldSpec } from './fields.js';
import { ClientMessageId } from './messageIds.js';
import { type InputMessage, inputFields } from './messages.js';

const FIXARRAY = 0x90;
const INPUT_HEADER = FIXARRAY | (1 + inputFields.length);

/**
 * Reads INPUT frames; one per room (or per test), reused for every frame. Its state is the message it
 * fills, the read position within the frame being read and an 8-byte view to read numbers through.
 */
export class InputFrameReader {
  /** What read() returns: one object, overwritten by the next read. */
  private readonly message: InputMessage = {
    id: ClientMessageId.INPUT,
    seq: 0,
    ackTick: 0,
    tick: 0,
    moveX: 0,
    moveY: 0,
    buttons: 0,
    aimAngle: 0,
    viewTick: 0,
  };
  private readonly scratch = new DataView(new ArrayBuffer(8));
  /** The position after the last value read; -1 once a value was not a number this path reads. */
  private end = 0;

  /**
   * The INPUT in `bytes` when they are a valid one in the common encodings: the reader's own object,
   * valid until the next read (copy what you keep). Undefined means: decode with decodeClientFrame.
   */
  read(bytes: Uint8Array): InputMessage | undefined {
    if (bytes.length < 1 + 1 + inputFields.length || bytes[0] !== INPUT_HEADER || bytes[1] !== ClientMessageId.INPUT) {
      return undefined;
    }
    this.end = 2;
    const seq = this.readField(bytes, inputFields[0]);
    const ackTick = this.readField(bytes, inputFields[1]);
    const tick = this.readField(bytes, inputFields[2]);
    const moveX = this.readField(bytes, inputFields[3]);
    const moveY = this.readField(bytes, inputFields[4]);
    const buttons = this.readField(bytes, inputFields[5]);
    const aimAngle = this.readField(bytes, inputFields[6]);
    const viewTick = this.readField(bytes, inputFields[7]);
    // end is -1 after an unreadable value; otherwise it must be exactly the frame's end.
    if (this.end !== bytes.length) return undefined;
    // Every valid field is finite, so one NaN anywhere makes the sum NaN.
    if (Number.isNaN(seq + ackTick + tick + moveX + moveY + buttons + aimAngle + viewTick)) return undefined;
    const out = this.message;
    out.seq = seq;
    out.ackTick = ackTick;
    out.tick = tick;
    out.moveX = moveX;
    out.moveY = moveY;
    out.buttons = buttons;
    out.aimAngle = aimAngle;
    out.viewTick = viewTick;
    return out;
  }

  /** One field checked as fields.ts's readField checks it; NaN when it is not valid or not readable here. */
  private readField(bytes: Uint8Array, field: FieldSpec): number {
    const value = this.readNumber(bytes);
    if (field.type === 'float') {
      return Number.isFinite(value) && value >= field.min && value <= field.max ? value : Number.NaN;
    }
    if (field.type === 'uint' || field.type === 'int') {
      const min = field.min ?? 0;
      // `+ 0`: a float -0.0 on the wire becomes 0, as the general decoder does.
      return Number.isInteger(value) && value >= min && value <= field.max ? value + 0 : Number.NaN;
    }
    return Number.NaN;
  }

  /** The MessagePack number at `end`, advancing it; NaN (end = -1) for any other type or a short frame. */
  private readNumber(bytes: Uint8Array): number {
    const at = this.end;
    if (at < 0 || at >= bytes.length) return this.fail();
    const first = bytes[at]!;
    if (first < 0x80) {
      this.end = at + 1;
      return first;
    }
    if (first >= 0xe0) {
      this.end = at + 1;
      return first - 0x100;
    }
    const width = WIDTH[first - 0xca] ?? 0;
    if (width === 0 || at + width >= bytes.length) return this.fail();
    const scratch = this.scratch;
    for (let i = 0; i < width; i++) scratch.setUint8(i, bytes[at + 1 + i]!);
    this.end = at + 1 + width;
    switch (first) {
      case 0xca:
        return scratch.getFloat32(0);
      case 0xcb:
        return scratch.getFloat64(0);
      case 0xcc:
        return scratch.getUint8(0);
      case 0xcd:
        return scratch.getUint16(0);
      case 0xce:
        return scratch.getUint32(0);
      case 0xd0:
        return scratch.getInt8(0);
      case 0xd1:
        return scratch.getInt16(0);
      case 0xd2:
        return scratch.getInt32(0);
      default:
        return this.fail();
    }
  }

  private fail(): number {
    this.end = -1;
    return Number.NaN;
  }
}

/**
 * Bytes after the type byte, indexed from 0xca: float 32, float 64, uint 8/16/32, (uint 64: no),
 * int 8/16/32, (int 64: no). 64-bit integers go to the general decoder.
 */
const WIDTH: readonly number[] = [4, 8, 1, 2, 4, 0, 1, 2, 4, 0];
