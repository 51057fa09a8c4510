// Characters a player may not put in text others see (chat lines, names): Unicode's control
// characters and the bidirectional formatting characters. Runs once per CHAT and once per join.

// Cc: C0, DEL and C1 (U+0000–U+001F, U+007F–U+009F). Bidi: the embeddings and overrides
// U+202A–U+202E and the isolates U+2066–U+2069, which reorder the text after them (an RTL
// override makes "gg" after a name read as the name's), and the marks U+061C, U+200E, U+200F.
const UNSAFE_CHARACTERS = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** `text` without control and bidirectional formatting characters. */
export function stripUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, '');
}
