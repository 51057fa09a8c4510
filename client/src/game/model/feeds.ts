// The text of the kill feed and of the chat log, from the events the net client delivers (once
// each). Called per event; names are looked up when the event arrives (a player may leave later).
import { SERVER_NOTICE_ID, Weapon } from '@tickwire/protocol';
import { displayName, type Roster } from './roster.js';
import { cleanText } from './text.js';

/** The weapons' names in the kill feed, keyed by the protocol's weapon table. */
const WEAPON_NAMES: { readonly [K in keyof typeof Weapon]: string } = { PRIMARY: 'rifle', SECONDARY: 'plasma' };
const byNumber = new Map<number, string>(
  Object.entries(Weapon).map(([name, weapon]) => [weapon, WEAPON_NAMES[name as keyof typeof Weapon]]),
);

export function weaponName(weapon: number): string {
  return byNumber.get(weapon) ?? `weapon ${weapon}`;
}

/** "alice [rifle] bob": who killed whom with what. */
export function killLine(roster: Roster, killerId: number, victimId: number, weapon: number): string {
  const victim = displayName(roster, victimId);
  if (killerId === victimId || killerId === 0) return `${victim} died`;
  return `${displayName(roster, killerId)} [${weaponName(weapon)}] ${victim}`;
}

/** A chat line, "alice: hi", or "* server: text" for a server notice (fromId 0). */
export function chatLine(roster: Roster, fromId: number, text: string, maxLength: number): string {
  const body = cleanText(text, maxLength);
  return fromId === SERVER_NOTICE_ID ? `* server: ${body}` : `${displayName(roster, fromId)}: ${body}`;
}
