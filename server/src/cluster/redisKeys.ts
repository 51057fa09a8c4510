// Every Redis key and channel name of the cluster directory, made in one place. Called per Redis
// call. Scripts never build a key themselves: every key they touch is passed in KEYS (STYLE 16),
// so the callers below are the only authors of names.
//
//   tw:procs                        ZSET  process id → alive-until (Redis ms): the processes, for placement and sweeping
//   tw:proc:<pid>                   HASH  a process's registration (url, rooms, players, cpu, caps), PEXPIRE = TTL
//   tw:draining                     SET   process ids that take no new rooms or seats
//   tw:fresh                        ZSET  process id → fresh-until (Redis ms: 2.5 heartbeats): a process that
//                                         missed them gets no new room or seat (its rooms stay listed until the TTL)
//   tw:proc-rooms:<pid>             SET   room ids placed on or hosted by a process (its count is its room load)
//   tw:room:<rid>                   HASH  a room: its process, settings, players, state (placed | hosted)
//   tw:seats:<rid>                  ZSET  seat nonce → expiry (Redis ms, with the margin): the room's pending seats
//   tw:open:<scenario>:<rate>:<max> ZSET  public room id → free seats, for rooms of that shape with a free seat
//   tw:public                       ZSET  public room id → createdAt: GET /rooms and /lobby
//   tw:placed                       ZSET  room id → when its last seat expires, for rooms no process hosts yet
//   tw:code:<code>                  STR   a private room's id by its code
//   tw:req:<requestId>              STR   the answer a matchmaking request got, so a retry gets the same seat
//   tw:handovers                    HASH  room id → target process id: the room moves in flight, for the sweep
//   tw:room-state:<rid>             STR   a moving room's state blob (opaque bytes), PEXPIRE = the handover's deadline
//   tw:proc-incoming:<pid>          SET   room ids being handed to a process (its load counts them; its inbox's resync)
//   tw:lobby                        channel: public rooms added, removed and filling (JSON), for every /lobby
//   tw:proc-channel:<pid>           channel: a process's own inbox: room handovers offered to it (JSON)

const PREFIX = 'tw:';

export const KEYS = {
  procs: `${PREFIX}procs`,
  draining: `${PREFIX}draining`,
  fresh: `${PREFIX}fresh`,
  public: `${PREFIX}public`,
  placed: `${PREFIX}placed`,
  lobbyChannel: `${PREFIX}lobby`,
  handovers: `${PREFIX}handovers`,
  proc: (pid: string) => `${PREFIX}proc:${pid}`,
  procRooms: (pid: string) => `${PREFIX}proc-rooms:${pid}`,
  room: (rid: string) => `${PREFIX}room:${rid}`,
  roomState: (rid: string) => `${PREFIX}room-state:${rid}`,
  procIncoming: (pid: string) => `${PREFIX}proc-incoming:${pid}`,
  procChannel: (pid: string) => `${PREFIX}proc-channel:${pid}`,
  seats: (rid: string) => `${PREFIX}seats:${rid}`,
  open: (shape: { scenario: string; tickRate: number; maxPlayers: number }) =>
    `${PREFIX}open:${shape.scenario}:${shape.tickRate}:${shape.maxPlayers}`,
  /** A private room's code key; the public rooms' placeholder names no code (scripts skip it). */
  code: (code: string | undefined) => `${PREFIX}code:${code ?? ''}`,
  /** A request's answer; the placeholder of a request without an id is never written. */
  request: (requestId: string | undefined) => `${PREFIX}req:${requestId ?? ''}`,
} as const;
