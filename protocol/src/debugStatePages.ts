// DEBUG_STATE cut into pages (server, once per request) and assembled again (every client, once per
// page received): the entities and the interest ids each go out at most MAX_SNAPSHOT_ENTITIES a
// page, so a room of any size can answer, and every consumer assembles with this one code.

import { ServerMessageId } from './messageIds.js';
import { type DebugStateMessage, type EntityTuple, MAX_SNAPSHOT_ENTITIES } from './messages.js';

/** A whole DEBUG_STATE reply: every page's entities and interest ids, in order. */
export interface DebugState {
  readonly tick: number;
  /** Every entity at `tick`, as the server holds it, ordered by id. */
  readonly entities: EntityTuple[];
  /** The ids in the requester's view at its last snapshot, sorted (every entity id without interest management). */
  readonly interest: number[];
}

/** `state` as DEBUG_STATE pages to send back to back: page k holds items k × cap … of both lists. */
export function debugStatePages(state: DebugState, cap = MAX_SNAPSHOT_ENTITIES): DebugStateMessage[] {
  const pages = Math.max(1, Math.ceil(state.entities.length / cap), Math.ceil(state.interest.length / cap));
  const out: DebugStateMessage[] = [];
  for (let page = 0; page < pages; page++) {
    out.push({
      id: ServerMessageId.DEBUG_STATE,
      tick: state.tick,
      page,
      pages,
      entities: state.entities.slice(page * cap, (page + 1) * cap),
      interest: state.interest.slice(page * cap, (page + 1) * cap),
    });
  }
  return out;
}

/** What one page did: the whole reply once its last page is in, nothing yet, or why it does not fit. */
export type DebugStatePageResult =
  | { readonly ok: true; readonly state: DebugState | undefined }
  | { readonly ok: false; readonly reason: string };

/** Collects DEBUG_STATE pages until the last; a page out of order is refused (the server never sends one). */
export class DebugStateAssembler {
  private held: { tick: number; pages: number; entities: EntityTuple[]; interest: number[] } | undefined;
  private nextPage = 0;

  add(message: DebugStateMessage): DebugStatePageResult {
    const { tick, page, pages } = message;
    if (page !== this.nextPage) return this.refuse(`DEBUG_STATE page ${page} where page ${this.nextPage} was due`);
    if (page >= pages) return this.refuse(`DEBUG_STATE page ${page} of ${pages}`);
    if (page === 0) this.held = { tick, pages, entities: [], interest: [] };
    const held = this.held!;
    if (held.tick !== tick || held.pages !== pages) {
      return this.refuse(
        `DEBUG_STATE page ${page} of tick ${tick}/${pages} pages inside a reply of ${held.tick}/${held.pages}`,
      );
    }
    for (const entity of message.entities) held.entities.push(entity);
    for (const id of message.interest) held.interest.push(id);
    if (page < pages - 1) {
      this.nextPage = page + 1;
      return { ok: true, state: undefined };
    }
    this.nextPage = 0;
    this.held = undefined;
    return { ok: true, state: { tick, entities: held.entities, interest: held.interest } };
  }

  private refuse(reason: string): DebugStatePageResult {
    this.nextPage = 0;
    this.held = undefined;
    return { ok: false, reason };
  }
}
