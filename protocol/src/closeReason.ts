// The one place a close frame's reason text is made: cut to what RFC 6455 allows. Runs once per
// connection closed by the server (a few per second at the most).
//
// A close frame's payload is 2 bytes of code plus at most 123 bytes of UTF-8 reason (RFC 6455
// §5.5: control frames carry at most 125 bytes). ws's close() throws a RangeError on a longer one,
// and nothing up the stack caught it, so a reason built from untrusted text (a decoder's error
// quoting the frame) once stopped the whole process. Every close the server sends goes through here.

/** Most UTF-8 bytes a close frame's reason may hold. */
export const MAX_CLOSE_REASON_BYTES = 123;

const ELLIPSIS = '…';
/** UTF-8 bytes of ELLIPSIS (U+2026). */
const ELLIPSIS_BYTES = 3;

/** UTF-8 bytes of one code point (a lone surrogate is written as U+FFFD: 3 bytes). */
function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * `text` as a valid close reason: control characters turned into spaces, lone surrogates into
 * U+FFFD, then cut at a code point boundary to at most MAX_CLOSE_REASON_BYTES UTF-8 bytes, ending
 * with "…" when cut.
 */
export function closeReason(text: string): string {
  const points: string[] = [];
  const ends: number[] = [];
  let bytes = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    let clean = char;
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) clean = ' ';
    else if (codePoint >= 0xd800 && codePoint <= 0xdfff) clean = '\uFFFD';
    bytes += utf8Bytes(clean.codePointAt(0)!);
    points.push(clean);
    ends.push(bytes);
  }
  if (bytes <= MAX_CLOSE_REASON_BYTES) return points.join('');
  let keep = 0;
  while (keep < points.length && ends[keep]! <= MAX_CLOSE_REASON_BYTES - ELLIPSIS_BYTES) keep++;
  return points.slice(0, keep).join('') + ELLIPSIS;
}

/** The number of UTF-8 bytes `text` takes in a close frame (lone surrogates as U+FFFD). */
export function closeReasonBytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    bytes += codePoint >= 0xd800 && codePoint <= 0xdfff ? 3 : utf8Bytes(codePoint);
  }
  return bytes;
}
