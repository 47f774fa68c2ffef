/**
 * Downloading an immutable file from a grid: find which servers hold which shares, read k of them (primary
 * shares first) with every block verified, fail over on errors or corruption, and tell servers about corrupt
 * shares.
 *
 * @module
 */

import { AbortError, type LafsError } from '../../errors.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../../util/abort.js';
import { capStorageIndex } from '../caps/derive.js';
import { WrongCapKindError } from '../caps/errors.js';
import { parseCap } from '../caps/parse.js';
import type { Cap } from '../caps/types.js';
import { decodeChk } from '../chk/decoder.js';
import { CorruptShareError } from '../chk/errors.js';
import type { ShareReader } from '../chk/share-reader.js';
import { DownloadError } from './errors.js';
import type { GridServer, TransferProgress } from './grid.js';
import { InFlightLimit } from './in-flight-limit.js';
import { permuteServers } from './placement.js';
import { DEFAULT_READ_AHEAD, RemoteShareReader } from './remote-share-reader.js';

/** Options of {@link downloadImmutable}. */
export interface DownloadOptions extends AbortOptions {
  onProgress?: (progress: TransferProgress) => void;
  /** Bytes fetched per read request (default {@link DEFAULT_READ_AHEAD}). */
  readAhead?: number;
  /** Most bytes requested from one server and not yet received (default: four read-aheads). */
  maxInFlightPerServer?: number;
  /** Most bytes requested and not yet received, all servers together (default: eight read-aheads). */
  maxInFlight?: number;
  /** Fetch each share's next window in the background while the current one is decoded (default true). */
  prefetch?: boolean;
  /** Timeout of each storage-protocol request (default 60 s). */
  requestTimeoutMs?: number;
  /** Told about every share set aside (corrupt, truncated, unreadable) as it happens. */
  onShareFailure?: (error: LafsError) => void;
}

/** Which server holds each share number (the first in permuted order, when several do). */
async function locateShares(
  servers: readonly GridServer[],
  storageIndex: Uint8Array,
  options: AbortOptions & { requestTimeoutMs: number },
): Promise<{ holders: Map<number, GridServer>; failures: string[] }> {
  const permuted = permuteServers(
    servers.map((s) => ({ ...s, permutationSeed: s.info.permutationSeed })),
    storageIndex,
  );
  const failures: string[] = [];
  const lists = await Promise.all(
    permuted.map(async (server) => {
      try {
        return await server.api.listImmutableShares(storageIndex, {
          signal: options.signal,
          timeoutMs: options.requestTimeoutMs,
        });
      } catch (error) {
        throwIfAborted(options.signal, 'the download');
        failures.push(`${server.info.serverId}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
    }),
  );
  const holders = new Map<number, GridServer>();
  permuted.forEach((server, i) => {
    for (const share of lists[i] ?? []) if (!holders.has(share)) holders.set(share, server);
  });
  return { holders, failures };
}

/**
 * Streams the plaintext of an immutable file (`URI:CHK` or `URI:LIT`) from the grid. Errors (not enough
 * shares, corruption beyond repair, cancellation) surface while iterating.
 */
export async function* downloadImmutable(
  cap: string | Cap,
  servers: readonly GridServer[],
  options: DownloadOptions = {},
): AsyncGenerator<Uint8Array> {
  const parsed = typeof cap === 'string' ? parseCap(cap) : cap;
  const file = 'file' in parsed ? parsed.file : parsed;
  if (file.kind === 'LIT') {
    if (file.data.length > 0) yield file.data.slice();
    return;
  }
  if (file.kind !== 'CHK') {
    throw new WrongCapKindError(
      `an immutable download needs a CHK or LIT read cap, got a ${parsed.kind} cap`,
      parsed.kind,
    );
  }
  const signal = combineSignals(options, 'the download');
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const storageIndex = capStorageIndex(file)!;
  const { holders, failures } = await locateShares(servers, storageIndex, { signal, requestTimeoutMs });
  if (holders.size < file.needed) {
    const why = failures.length ? ` Unreachable: ${failures.join('; ')}.` : '';
    throw new DownloadError(
      `found ${holders.size} of the ${file.needed} shares needed on ${servers.length} server(s).${why}`,
    );
  }

  const readAhead = options.readAhead ?? DEFAULT_READ_AHEAD;
  const overall = new InFlightLimit(options.maxInFlight ?? 8 * readAhead, 'download in-flight limit');
  const perServer = new Map<GridServer, InFlightLimit>();
  // Stops the readers' background read-ahead when the download ends early (error, or the caller stops).
  const background = new AbortController();
  const readerSignal = signal ? AbortSignal.any([signal, background.signal]) : background.signal;
  const readers = new Map<number, ShareReader>();
  for (const [share, server] of holders) {
    let serverLimit = perServer.get(server);
    if (!serverLimit) {
      serverLimit = new InFlightLimit(
        options.maxInFlightPerServer ?? 4 * readAhead,
        `in-flight limit of server ${server.info.serverId}`,
      );
      perServer.set(server, serverLimit);
    }
    readers.set(
      share,
      new RemoteShareReader(server.api, storageIndex, share, {
        readAhead,
        requestTimeoutMs,
        limits: [serverLimit, overall],
        prefetch: options.prefetch,
        signal: readerSignal,
      }),
    );
  }
  let done = 0;
  try {
    for await (const chunk of decodeChk(file, readers, {
      signal,
      onShareFailure: (error) => {
        options.onShareFailure?.(error);
        if (!(error instanceof CorruptShareError)) return;
        const server = holders.get(error.shareNumber);
        // Corruption advisories are best effort and must not slow the download down.
        server?.api
          .adviseCorruptShare('immutable', storageIndex, error.shareNumber, error.message.slice(0, 1000), {
            timeoutMs: 10_000,
          })
          .catch(() => undefined);
      },
    })) {
      done += chunk.length;
      options.onProgress?.({ phase: 'downloading', done, total: file.size });
      yield chunk;
    }
  } finally {
    background.abort(new AbortError('the download ended'));
  }
}
