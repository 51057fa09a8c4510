// Cleaning of text typed by players (names, chat) before it is sent or drawn; per message.
// Everything is drawn as text (Phaser Text or textContent), never parsed as HTML; this only keeps
// control characters and overlong strings out of the layout.

/** C0/C1 control characters and the line/paragraph separators: drawn as a space. */
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

/** `raw` with control characters replaced by spaces, trimmed, cut to `maxLength` UTF-16 units. */
export function cleanText(raw: string, maxLength: number): string {
  let text = raw.replace(CONTROL, ' ').trim();
  if (text.length > maxLength) {
    text = text.slice(0, maxLength);
    // Do not leave half of a surrogate pair at the end.
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) text = text.slice(0, -1);
    text = text.trimEnd();
  }
  return text;
}
