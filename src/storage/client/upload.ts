/**
 * Uploading an immutable file to a grid: encode (CHK), place shares by servers-of-happiness, stream them to the
 * storage servers, and return the capability.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type AbortOptions, combineSignals, throwIfAborted } from '../../util/abort.js';
import type { Cap } from '../caps/types.js';
import {
  type ChkPlan,
  type ImmutableEncodeOptions,
  planImmutableUpload,
  writeImmutableShares,
} from '../chk/encoder.js';
import type { ImmutableSource } from '../chk/source.js';
import { ChunkPool } from './chunk-pool.js';
import { type ServerFailure, UploadUnhappinessError } from './errors.js';
import type { GridServer, TransferProgress } from './grid.js';
import { InFlightLimit } from './in-flight-limit.js';
import type { LeaseSecrets } from './lease-secrets.js';
import { happinessOf } from './matching.js';
import { type PlacementServer, permuteServers, planPlacement } from './placement.js';
import { DEFAULT_UPLOAD_CHUNK_SIZE, RemoteShareSink } from './remote-share-sink.js';

/** Default of {@link UploadOptions.maxInFlightPerServer}: 4 MiB. */
export const DEFAULT_MAX_IN_FLIGHT_PER_SERVER = 4 * 1024 * 1024;

/** Default of {@link UploadOptions.maxInFlight}: 8 MiB. */
export const DEFAULT_MAX_IN_FLIGHT = 8 * 1024 * 1024;

/** Options of {@link uploadImmutable}. */
export interface UploadOptions extends ImmutableEncodeOptions {
  /** Servers-of-happiness threshold (default 7 as in Tahoe; at most `total`). */
  happy?: number;
  /** Derives each server's lease secrets. */
  leaseSecrets: LeaseSecrets;
  /** Called as the upload progresses. */
  onProgress?: (progress: TransferProgress) => void;
  /** Bytes per `PATCH` request (default {@link DEFAULT_UPLOAD_CHUNK_SIZE}). */
  chunkSize?: number;
  /**
   * Most bytes sent to one server and not yet acknowledged, across its shares (default
   * {@link DEFAULT_MAX_IN_FLIGHT_PER_SERVER}). At least one chunk is always allowed.
   */
  maxInFlightPerServer?: number;
  /** Most bytes sent and not yet acknowledged, all servers together (default {@link DEFAULT_MAX_IN_FLIGHT}). */
  maxInFlight?: number;
  /** Timeout of each storage-protocol request (default 60 s). */
  requestTimeoutMs?: number;
}

/** The result of {@link uploadImmutable}. */
export interface UploadResult {
  cap: Cap;
  /** Storage index (absent for literal files). */
  storageIndex?: Uint8Array;
  /** Where each share now lives: share number to server id (absent for literal files). */
  sharesOn?: Map<number, string>;
  /** Servers-of-happiness value reached. */
  happiness?: number;
}

interface Candidate {
  server: GridServer;
  writable: boolean;
  existing: Set<number>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Asks every server, in parallel, whether it can take the shares and which it already holds. */
async function survey(
  servers: readonly GridServer[],
  plan: ChkPlan,
  options: AbortOptions & { requestTimeoutMs: number },
  failures: ServerFailure[],
): Promise<Candidate[]> {
  const answers = await Promise.all(
    servers.map(async (server): Promise<Candidate | undefined> => {
      const call = { signal: options.signal, timeoutMs: options.requestTimeoutMs };
      try {
        const [version, existing] = await Promise.all([
          server.api.getVersion(call),
          server.api.listImmutableShares(plan.storageIndex, call),
        ]);
        const size = plan.layout.shareSize;
        const writable = version.maximumImmutableShareSize >= size && version.availableSpace >= size;
        if (!writable)
          failures.push({ server: server.info.serverId, reason: 'not enough space for a share' });
        return { server, writable, existing: new Set(existing) };
      } catch (error) {
        throwIfAborted(options.signal, 'the upload');
        failures.push({ server: server.info.serverId, reason: describe(error) });
        return undefined;
      }
    }),
  );
  return answers.filter((a): a is Candidate => a !== undefined);
}

/**
 * Uploads `source` as an immutable file. Literal files (55 bytes or fewer) need no server. Otherwise the
 * servers are asked in the file's permuted order, shares are placed for maximum happiness (reusing shares
 * already on servers), allocated, and streamed; a server failing mid-upload loses only its shares, and the
 * upload succeeds if the shares that did land still reach `happy`.
 *
 * @throws {UploadUnhappinessError} when happiness cannot be reached, with every server's failure.
 */
export async function uploadImmutable(
  source: ImmutableSource,
  servers: readonly GridServer[],
  options: UploadOptions,
): Promise<UploadResult> {
  const total = options.total ?? 10;
  const happy = options.happy ?? Math.min(7, total);
  if (!Number.isInteger(happy) || happy < 1 || happy > total) {
    throw new RangeError(`happy must be an integer from 1 to total (${total}), got ${happy}`);
  }
  const signal = combineSignals(options, 'the upload');
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  options.onProgress?.({ phase: 'hashing', done: 0, total: options.size });
  const plan = await planImmutableUpload(source, { ...options, signal, timeoutMs: undefined });
  if (plan.kind === 'LIT') return { cap: plan.cap };

  const failures: ServerFailure[] = [];
  const permuted = permuteServers(
    servers.map((s) => ({ ...s, permutationSeed: s.info.permutationSeed })),
    plan.storageIndex,
  );
  let candidates = await survey(permuted, plan, { signal, requestTimeoutMs }, failures);
  const uploadSecrets = new Map(
    candidates.map((c) => [c.server.info.serverId, new Uint8Array(randomBytes(32))]),
  );

  // Allocate; a server that refuses part of its allocation becomes read-only and we plan again.
  let uploads = new Map<number, Candidate>();
  let present = new Map<number, Candidate>();
  for (let attempt = 0; ; attempt++) {
    const placement = planPlacement(
      candidates.map(
        (c): PlacementServer => ({
          id: c.server.info.serverId,
          writable: c.writable,
          existingShares: c.existing,
        }),
      ),
      total,
    );
    if (placement.happiness < happy)
      throw new UploadUnhappinessError(servers.length, placement.happiness, happy, failures);
    const byId = new Map(candidates.map((c) => [c.server.info.serverId, c]));
    uploads = new Map([...placement.upload].map(([share, id]) => [share, byId.get(id)!]));
    present = new Map([...placement.renew].map(([share, id]) => [share, byId.get(id)!]));
    const { refused, dead } = await allocate(
      plan,
      uploads,
      present,
      uploadSecrets,
      options,
      { signal, requestTimeoutMs },
      failures,
    );
    if (refused.length === 0 && dead.length === 0) break;
    if (attempt >= servers.length) throw new UploadUnhappinessError(servers.length, 0, happy, failures);
    candidates = candidates
      .filter((c) => !dead.includes(c))
      .map((c) => (refused.includes(c) ? { ...c, writable: false } : c));
  }

  const totalBytes = plan.layout.shareSize * uploads.size;
  let done = 0;
  const sinks = new Map<number, RemoteShareSink>();
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const overall = new InFlightLimit(maxInFlight, 'upload in-flight limit');
  const chunkSize = options.chunkSize ?? DEFAULT_UPLOAD_CHUNK_SIZE;
  // Enough free buffers to cover every sink's partly filled chunk plus the chunks the limit lets fly.
  const pool = new ChunkPool(chunkSize, uploads.size + Math.ceil(maxInFlight / chunkSize));
  const perServer = new Map<Candidate, InFlightLimit>();
  for (const [share, candidate] of uploads) {
    let serverLimit = perServer.get(candidate);
    if (!serverLimit) {
      serverLimit = new InFlightLimit(
        options.maxInFlightPerServer ?? DEFAULT_MAX_IN_FLIGHT_PER_SERVER,
        `in-flight limit of server ${candidate.server.info.serverId}`,
      );
      perServer.set(candidate, serverLimit);
    }
    sinks.set(
      share,
      new RemoteShareSink({
        api: candidate.server.api,
        storageIndex: plan.storageIndex,
        shareNumber: share,
        uploadSecret: uploadSecrets.get(candidate.server.info.serverId)!,
        chunkSize,
        requestTimeoutMs,
        limits: [serverLimit, overall],
        pool,
        onProgress: (bytes) => {
          done += bytes;
          options.onProgress?.({ phase: 'uploading', done, total: totalBytes });
        },
      }),
    );
  }
  const result = await writeImmutableShares(plan, sinks, { signal });

  const sharesOn = new Map<number, string>();
  for (const [share, candidate] of present) sharesOn.set(share, candidate.server.info.serverId);
  for (const [share, sink] of sinks) {
    const id = uploads.get(share)!.server.info.serverId;
    if (sink.completed) sharesOn.set(share, id);
    else failures.push({ server: id, reason: `share ${share}: ${describe(sink.failure)}` });
  }
  const happiness = happinessOf(new Map([...sharesOn].map(([share, id]) => [share, [id]])));
  if (happiness < happy) throw new UploadUnhappinessError(servers.length, happiness, happy, failures);
  return { cap: result.cap, storageIndex: plan.storageIndex, sharesOn, happiness };
}

/**
 * Allocates buckets for `uploads` and renews leases on `present`. Shares a server says it already has move to
 * `present`. Returns the servers that refused some allocation and those that failed outright (the caller
 * re-plans without writing to either).
 */
async function allocate(
  plan: ChkPlan,
  uploads: Map<number, Candidate>,
  present: Map<number, Candidate>,
  uploadSecrets: Map<string, Uint8Array>,
  options: UploadOptions,
  call: AbortOptions & { requestTimeoutMs: number },
  failures: ServerFailure[],
): Promise<{ refused: Candidate[]; dead: Candidate[] }> {
  const perServer = new Map<Candidate, number[]>();
  for (const [share, c] of uploads) perServer.set(c, [...(perServer.get(c) ?? []), share]);
  for (const c of new Set(present.values())) if (!perServer.has(c)) perServer.set(c, []);
  const refused: Candidate[] = [];
  const dead: Candidate[] = [];
  await Promise.all(
    [...perServer].map(async ([c, shares]) => {
      const id = c.server.info.serverId;
      const lease = options.leaseSecrets.forServer(plan.storageIndex, c.server.info.leaseSeed);
      const timeout = { signal: call.signal, timeoutMs: call.requestTimeoutMs };
      try {
        if ([...present.values()].includes(c)) {
          await c.server.api.addOrRenewLease(
            plan.storageIndex,
            lease.renewSecret,
            lease.cancelSecret,
            timeout,
          );
        }
        if (shares.length === 0) return;
        const answer = await c.server.api.allocateBuckets(
          plan.storageIndex,
          {
            shareNumbers: shares,
            allocatedSize: plan.layout.shareSize,
            uploadSecret: uploadSecrets.get(id)!,
            ...lease,
          },
          timeout,
        );
        for (const share of answer.alreadyHave) {
          c.existing.add(share);
          uploads.delete(share);
          present.set(share, c);
        }
        const missing = shares.filter(
          (s) => !answer.allocated.includes(s) && !answer.alreadyHave.includes(s),
        );
        if (missing.length > 0) {
          failures.push({ server: id, reason: `refused shares ${missing.join(',')}` });
          refused.push(c);
        }
      } catch (error) {
        throwIfAborted(call.signal, 'the upload');
        failures.push({ server: id, reason: describe(error) });
        dead.push(c);
      }
    }),
  );
  return { refused, dead };
}
