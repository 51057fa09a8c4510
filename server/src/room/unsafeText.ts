// Characters a player may not put in text others see (chat lines, names): Unicode's control
// characters and the bidirectional formatting characters. Runs once per CHAT and once per join.

// Cc: C0, DEL and C1 (U+0000–U+001F, U+007F–U+009F). Cf, the format characters: among them the
// bidirectional embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+061C,
// U+200E, U+200F), which reorder the text after them (an RTL override makes "gg" after a name read
// as the name's), and the invisible ones (U+200B zero width space, U+2060 word joiner, U+FEFF,
// U+00AD soft hyphen), which let "alice" and "alice\u200B" pass for two names. The zero width
// joiner U+200D stays: emoji sequences need it. Also invisible though not Cf: the Hangul fillers
// (U+115F, U+1160, U+3164, U+FFA0) and the combining grapheme joiner U+034F.
const UNSAFE_CHARACTERS = /(?!\u200D)(?:[\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0]|\u034F)/gu;

/** `text` without control, format (bidirectional, invisible) and filler characters; the zero width joiner kept. */
export function stripUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, '');
}
