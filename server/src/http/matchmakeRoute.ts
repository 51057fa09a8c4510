// POST /matchmake over HTTP: the checks a hostile caller meets before the matchmaker runs (method,
// Origin, rate, media type, size, JSON), then the matchmaker's answer as JSON. Runs once per request
// to /matchmake; the CORS preflight (OPTIONS) is answered here too. PROTOCOL.md "Matchmaking".
//
//   OPTIONS ──► preflight: 204 with CORS headers, or 403 for a refused Origin
//   other method ──► 405
//   POST ─► Origin refused? 403 ─► over the rate? 429 ─► not application/json? 415
//        ─► Content-Length over 4 KiB? 413 ─► read, counting: over 4 KiB? 413 ─► not JSON? 400
//        ─► matchmake(): 200 {roomId, wsUrl, seat, expiresAt, code?} or its error's status
//
// Every refusal before the body is read comes first, so a foreign page or a caller over its rate
// costs no buffering; a refusal answered while a body may still be arriving closes the connection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  MATCHMAKE_ERRORS,
  MAX_MATCHMAKE_BODY_BYTES,
  type MatchmakeAnswer,
  type MatchmakeError,
} from '@tickwire/protocol';
import { RateBuckets } from '../limits/rateBuckets.js';
import type { Logger } from '../log.js';
import type { MatchmakeResult } from '../rooms/matchmaker.js';
import { resolveClientAddress } from '../transport/clientAddress.js';
import { isOriginAllowed } from '../transport/originCheck.js';
import type { Refusals } from './refusals.js';

/** How long a browser may reuse a preflight's answer. @default 600 s */
const PREFLIGHT_MAX_AGE_S = 600;

export interface MatchmakeRouteDeps {
  /** --allowed-origins: the same rule as the game socket (transport/originCheck.ts). */
  allowedOrigins: readonly string[];
  /** --matchmake-rate: calls per non-loopback address per minute (a burst of this many, refilled evenly); 0 = no limit. */
  ratePerMinute: number;
  /** --trust-proxy: the client address is resolved as at the upgrade (transport/clientAddress.ts); loopback is exempt unless set. */
  trustProxy: ReadonlySet<string>;
  /** rooms/matchmaker.ts Matchmaker.matchmake; `addressKey` is undefined for an exempt (loopback) caller. */
  matchmake(body: unknown, addressKey: string | undefined, nowMs: number): Promise<MatchmakeResult>;
  /** The game socket's URL for a room, as this request reached the server. */
  /** The room's socket URL: on `processUrl` (the hosting process, with --redis-url), else as the caller reached this server. */
  wsUrlOf(roomId: string, req: IncomingMessage, processUrl: string | undefined): string;
  /** Epoch ms: the rate's clock and the matchmaker's (a seat's expiry is epoch ms). */
  now(): number;
  log: Logger;
  /** Where every non-2xx answer is counted, by status. */
  refusals?: Refusals;
  /**
   * An exception once the handler has returned (matchmake rejected, or answering it threw): the
   * request is answered 500 and the exception reported here (faults.ts, entry 'http'), since the
   * caller's guard only sees a synchronous throw, which is left to it.
   */
  fault(error: unknown, req: IncomingMessage): void;
  /** Give back the seat of an answer that could not be delivered (Matchmaker.release). */
  release?(roomId: string, nonce: string): Promise<void>;
}

type Headers = Record<string, string>;

export function createMatchmakeRoute(deps: MatchmakeRouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { allowedOrigins, trustProxy, log, refusals } = deps;
  const rate = new RateBuckets(deps.ratePerMinute);

  const send = (res: ServerResponse, status: number, headers: Headers, body?: unknown): void => {
    if (status >= 300) refusals?.count(status);
    res.writeHead(status, headers);
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    cors: Headers,
    error: MatchmakeError,
    message: string,
    extra: Headers = {},
  ): void => {
    // A body still on its way is not read: the connection goes once this answer is out.
    const close: Headers = req.complete ? {} : { connection: 'close' };
    send(res, MATCHMAKE_ERRORS[error], { ...JSON_HEADERS, ...cors, ...extra, ...close }, { error, message });
  };

  const answer = (req: IncomingMessage, res: ServerResponse, cors: Headers, result: MatchmakeResult): void => {
    if (!result.ok) return refuse(req, res, cors, result.error, result.message);
    // The caller hung up while its seat was being made: nobody will use it, so its place is freed now
    // (unless it named a requestId: its retry gets this same seat back).
    const release = () => {
      if (result.requestId !== undefined || result.seat === '') return; // kept for its retry, or no seat (resume)
      deps.release?.(result.roomId, result.nonce).catch((error: unknown) => deps.fault(error, req));
    };
    if (res.destroyed) return release();
    res.once('close', () => {
      if (!res.writableFinished) release();
    });
    const body: MatchmakeAnswer = {
      roomId: result.roomId,
      wsUrl: deps.wsUrlOf(result.roomId, req, result.processUrl),
      seat: result.seat,
      expiresAt: result.expiresAt,
      ...(result.code === undefined ? {} : { code: result.code }),
    };
    send(res, 200, { ...JSON_HEADERS, ...cors }, body);
  };

  const failed = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    deps.fault(error, req);
    // A status already written cannot become 500: cut the response off instead of ending it as if whole.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    refusals?.count(500);
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('internal server error\n');
  };

  return (req, res) => {
    const origin = req.headers.origin;
    const originAllowed = isOriginAllowed(origin, req.headers.host, allowedOrigins);
    // The answer depends on Origin, so caches must key on it whatever the verdict.
    const cors: Headers =
      origin !== undefined && originAllowed
        ? { 'access-control-allow-origin': origin, vary: 'origin' }
        : { vary: 'origin' };

    if (req.method === 'OPTIONS') {
      if (!originAllowed) return refuseOrigin(req, res);
      send(res, 204, {
        ...cors,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
        'cache-control': 'no-store',
      });
      return;
    }
    if (req.method !== 'POST') {
      return refuse(req, res, cors, 'method-not-allowed', 'use POST', { allow: 'POST, OPTIONS' });
    }
    // Before the body: a foreign page's simple cross-site POST must not make a room.
    if (!originAllowed) return refuseOrigin(req, res);

    const client = resolveClientAddress(
      req.socket.remoteAddress,
      // Node joins repeated X-Forwarded-For headers with ", ", in order: one list either way.
      req.headersDistinct['x-forwarded-for']?.join(', '),
      trustProxy,
    );
    const addressKey = client.exempt ? undefined : client.key;
    if (addressKey !== undefined) {
      const waitMs = rate.take(addressKey, deps.now());
      if (waitMs > 0) {
        log.info('refused matchmake over the per-address rate', { address: client.address });
        return refuse(req, res, cors, 'too-many-requests', 'too many matchmaking calls; wait and try again', {
          'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))),
        });
      }
    }
    if (!isJsonMediaType(req.headers['content-type'])) {
      return refuse(req, res, cors, 'unsupported-media-type', 'the body must be application/json');
    }
    // Node has already refused a malformed Content-Length (400), so this is a number or absent.
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > MAX_MATCHMAKE_BODY_BYTES) {
      return refuse(req, res, cors, 'body-too-large', `the body must be at most ${MAX_MATCHMAKE_BODY_BYTES} bytes`);
    }

    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_MATCHMAKE_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // A chunked body (or one longer than it said) past the cap: nothing more is kept.
      stop();
      chunks.length = 0;
      refuse(req, res, cors, 'body-too-large', `the body must be at most ${MAX_MATCHMAKE_BODY_BYTES} bytes`, {
        connection: 'close',
      });
    };
    const onEnd = (): void => {
      stop();
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch {
        return refuse(req, res, cors, 'bad-request', 'the body is not JSON');
      }
      deps.matchmake(body, addressKey, deps.now()).then(
        (result) => {
          try {
            answer(req, res, cors, result);
          } catch (error) {
            failed(req, res, error);
          }
        },
        (error: unknown) => failed(req, res, error),
      );
    };
    req.on('data', onData);
    req.on('end', onEnd);
    // The client went away mid-body: nothing to answer (the socket is gone); stop listening.
    req.on('error', stop);
  };

  function refuseOrigin(req: IncomingMessage, res: ServerResponse): void {
    log.info('refused matchmake origin', { origin: req.headers.origin });
    // No CORS headers: the refused page may not read the answer either.
    refuse(req, res, { vary: 'origin' }, 'forbidden', 'this page may not use matchmaking here (origin not allowed)');
  }
}

const JSON_HEADERS: Headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };

/** `application/json`, any case, with or without parameters (`; charset=utf-8`). */
function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}
