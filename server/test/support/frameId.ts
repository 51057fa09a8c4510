// The message id of an encoded server frame, read from its first bytes (a MessagePack array, then
// the id as a positive fixint), for tests that sort frames without decoding them. Per frame.

/** The id of `frame`, or undefined when it does not start as a message does. */
export function frameId(frame: Uint8Array): number | undefined {
  const first = frame[0];
  if (first === undefined) return undefined;
  // fixarray (≤ 15 elements), array 16 (WELCOME's 17), array 32.
  const at = (first & 0xf0) === 0x90 ? 1 : first === 0xdc ? 3 : first === 0xdd ? 5 : -1;
  return at < 0 ? undefined : frame[at];
}
