/**
 * Streaming CHK encoder (Tahoe `immutable/encode.py` `Encoder`, `immutable/upload.py`; spec
 * `docs/specifications/file-encoding.rst`).
 *
 * {@link planImmutableUpload} runs pass 1 (convergent key and size, when needed) and fixes the share geometry
 * and storage index, which an uploader needs before it can ask servers for space. {@link writeImmutableShares}
 * runs pass 2, one segment at a time: AES-128-CTR, zero-pad the tail to a multiple of k, zfec into N blocks,
 * hash each block, write it to its share's sink; then the hash trees, share hashes and the URI extension block.
 * Memory stays at a few segments whatever the file size.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createAesCtr } from '../../crypto/aes-ctr.js';
import { blockHashAsync, crypttextSegmentHashAsync } from '../../crypto/async-hash.js';
import { buildHashTree, neededHashes } from '../../crypto/hashtree.js';
import {
  convergenceHasher,
  crypttextHasher,
  storageIndexHash,
  uriExtensionHash,
} from '../../crypto/hashutil.js';
import { createCodec } from '../../crypto/zfec/index.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../../util/abort.js';
import type { ChkCap, LiteralCap } from '../caps/types.js';
import { computeConvergentKey } from './convergent-key.js';
import { ChkSourceError } from './errors.js';
import { packShareHeader, type ShareLayout, shareLayout } from './layout.js';
import { type ChkParams, chkParams, DEFAULT_MAX_SEGMENT_SIZE, LITERAL_THRESHOLD } from './params.js';
import { pythonSetOrder } from './python-set-order.js';
import type { ShareSink } from './share-sink.js';
import { type ImmutableSource, isRereadable, openSourcePass, readSegments } from './source.js';
import { packUriExtension, type UriExtension } from './ueb.js';

/** Options of an immutable upload. */
export interface ImmutableEncodeOptions extends AbortOptions {
  /** Convergence secret: same plaintext + secret + parameters → same cap. Omit for a random key. */
  convergenceSecret?: Uint8Array | undefined;
  /** k, shares needed to read (default 3). */
  needed?: number | undefined;
  /** N, shares written (default 10). */
  total?: number | undefined;
  /** Maximum segment size (default 1 MiB, as Tahoe ≥ 1.19). */
  maxSegmentSize?: number | undefined;
  /** The plaintext size, when known; required for a single-use source with a random key. */
  size?: number | undefined;
  /** Write layout v2 (8-byte offsets) even for small shares, as Tahoe's test-only `FORCE_V2` does. */
  forceV2?: boolean | undefined;
}

/** A literal file: the data lives in the cap. */
export interface LiteralPlan {
  kind: 'LIT';
  cap: LiteralCap;
}

/** A CHK file, after pass 1: everything an uploader needs to allocate space for its shares. */
export interface ChkPlan {
  kind: 'CHK';
  key: Uint8Array;
  storageIndex: Uint8Array;
  params: ChkParams;
  /** Geometry of every share (all N shares have the same size). */
  layout: ShareLayout;
  /** The convergence secret, when the key is convergent (pass 2 re-checks the key). */
  convergenceSecret: Uint8Array | undefined;
  /** The plaintext source for pass 2. */
  source: ImmutableSource;
  /** True when pass 1 consumed `source`. */
  sourceUsed: boolean;
}

/** Result of {@link planImmutableUpload}. */
export type ImmutablePlan = LiteralPlan | ChkPlan;

/** Result of {@link writeImmutableShares}. */
export interface ChkEncodeResult {
  cap: ChkCap;
  uebHash: Uint8Array;
  ueb: UriExtension;
  storageIndex: Uint8Array;
}

const ZERO_HASH = new Uint8Array(32);

function uebFor(
  params: ChkParams,
  hashes: { crypttext: Uint8Array; crypttextRoot: Uint8Array; shareRoot: Uint8Array },
): UriExtension {
  return {
    codecName: 'crs',
    codecParams: `${params.segmentSize}-${params.needed}-${params.total}`,
    tailCodecParams: `${params.paddedTailSize}-${params.needed}-${params.total}`,
    size: params.size,
    segmentSize: params.segmentSize,
    numSegments: params.numSegments,
    neededShares: params.needed,
    totalShares: params.total,
    crypttextHash: hashes.crypttext,
    crypttextRootHash: hashes.crypttextRoot,
    shareRootHash: hashes.shareRoot,
  };
}

async function collectSmall(
  chunks: AsyncIterable<Uint8Array>,
  limit: number,
): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > limit) return undefined;
    parts.push(chunk.slice());
  }
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Pass 1: decides LIT or CHK, derives the key (convergent: one read of the source; random: none when `size`
 * is given) and lays out the shares.
 */
export async function planImmutableUpload(
  source: ImmutableSource,
  options: ImmutableEncodeOptions = {},
): Promise<ImmutablePlan> {
  const needed = options.needed ?? 3;
  const total = options.total ?? 10;
  const maxSegmentSize = options.maxSegmentSize ?? DEFAULT_MAX_SEGMENT_SIZE;
  if (!Number.isInteger(needed) || !Number.isInteger(total) || needed < 1 || total < needed || total > 256) {
    throw new RangeError(`need 1 <= k <= N <= 256, got k=${needed}, N=${total}`);
  }
  if (!Number.isSafeInteger(maxSegmentSize) || maxSegmentSize < 1) {
    throw new RangeError(`maxSegmentSize must be a positive integer, got ${maxSegmentSize}`);
  }
  if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
    throw new RangeError(`size must be a non-negative integer, got ${options.size}`);
  }
  const signal = combineSignals(options, 'planning the immutable upload');
  throwIfAborted(signal, 'planning the immutable upload');
  const secret = options.convergenceSecret;
  let size = source instanceof Uint8Array ? source.length : options.size;
  let key: Uint8Array;
  let sourceUsed = false;
  let small: Uint8Array | undefined = source instanceof Uint8Array ? source : undefined;

  if (secret !== undefined) {
    const pass1 = await computeConvergentKey(
      openSourcePass(source, false),
      secret,
      needed,
      total,
      maxSegmentSize,
      signal,
    );
    if (size !== undefined && pass1.size !== size) {
      throw new ChkSourceError(`the plaintext source yielded ${pass1.size} bytes, but size says ${size}`);
    }
    sourceUsed = !(source instanceof Uint8Array);
    key = pass1.key;
    size = pass1.size;
    small = small ?? pass1.smallData;
  } else {
    key = new Uint8Array(randomBytes(16));
    if (size === undefined) {
      if (!isRereadable(source)) {
        throw new ChkSourceError(
          'a single-use AsyncIterable source needs options.size (or pass a re-readable source)',
        );
      }
      let n = 0;
      for await (const chunk of openSourcePass(source, false)) n += chunk.length;
      size = n;
      sourceUsed = true;
    }
  }

  if (size <= LITERAL_THRESHOLD) {
    if (small === undefined) {
      const data = await collectSmall(openSourcePass(source, sourceUsed), LITERAL_THRESHOLD);
      if (data === undefined || data.length !== size) {
        throw new ChkSourceError(`the plaintext source changed size between passes (expected ${size} bytes)`);
      }
      small = data;
    }
    return { kind: 'LIT', cap: { kind: 'LIT', data: small.slice() } };
  }

  const params = chkParams(size, needed, total, maxSegmentSize);
  const uebSize = packUriExtension(
    uebFor(params, { crypttext: ZERO_HASH, crypttextRoot: ZERO_HASH, shareRoot: ZERO_HASH }),
  ).length;
  const layout = shareLayout(
    params.blockSize,
    params.shareDataSize,
    params.numSegments,
    total,
    uebSize,
    options.forceV2,
  );
  return {
    kind: 'CHK',
    key,
    storageIndex: storageIndexHash(key),
    params,
    layout,
    convergenceSecret: secret,
    source: small ?? source,
    sourceUsed: small !== undefined ? false : sourceUsed,
  };
}

/** A sink per share number; shares without a sink are computed (for the hash trees) but not written. */
export type ShareSinks = ReadonlyMap<number, ShareSink> | readonly (ShareSink | undefined)[];

function sinkList(sinks: ShareSinks, total: number): (ShareSink | undefined)[] {
  const out: (ShareSink | undefined)[] = new Array<ShareSink | undefined>(total).fill(undefined);
  const entries: Iterable<[number, ShareSink | undefined]> =
    sinks instanceof Map ? sinks.entries() : (sinks as readonly (ShareSink | undefined)[]).entries();
  for (const [i, sink] of entries) {
    if (!Number.isInteger(i) || i < 0 || i >= total)
      throw new RangeError(`share number ${i} is outside 0..${total - 1}`);
    out[i] = sink;
  }
  return out;
}

/**
 * Pass 2: encrypts, erasure-codes and hashes the plaintext and writes every share to its sink, then closes the
 * sinks. On failure every sink's `abort` is called and the error is rethrown. For a convergent plan the key
 * is recomputed on the way, and a source that changed since pass 1 raises {@link ChkSourceError} before any
 * share is completed.
 */
export async function writeImmutableShares(
  plan: ChkPlan,
  sinks: ShareSinks,
  options: AbortOptions = {},
): Promise<ChkEncodeResult> {
  const { params, layout, key } = plan;
  const { needed: k, total: n } = params;
  const targets = sinkList(sinks, n);
  const signal = combineSignals(options, 'encoding the immutable file');
  try {
    const header = packShareHeader(layout);
    await Promise.all(targets.map((s) => s?.write(0, header, { signal })));

    const aes = createAesCtr(key);
    const codec = createCodec(k, n);
    const wholeHasher = crypttextHasher();
    const recheck = plan.convergenceSecret ? convergenceHasher(params, plan.convergenceSecret) : undefined;
    const segmentHashes: Uint8Array[] = [];
    const blockHashes: Uint8Array[][] = Array.from({ length: n }, () => []);
    let segment = 0;
    let pendingWrites: Promise<unknown> = Promise.resolve();
    let pendingHashes: Promise<unknown> = Promise.resolve();
    const parityNumbers = Array.from({ length: n - k }, (_, i) => k + i);
    const parityBuffers = [0, 1].map(() => parityNumbers.map(() => new Uint8Array(params.blockSize)));
    const chunks = openSourcePass(plan.source, plan.sourceUsed);
    for await (const plain of readSegments(chunks, params.segmentSize, params.size, signal)) {
      throwIfAborted(signal, 'encoding the immutable file');
      recheck?.update(plain);
      const crypttext = aes.update(plain);
      const segmentHash = crypttextSegmentHashAsync(crypttext);
      wholeHasher.update(crypttext);
      const isTail = segment === params.numSegments - 1;
      const blockLength = isTail ? params.tailBlockSize : params.blockSize;
      let padded = crypttext;
      if (crypttext.length < blockLength * k) {
        padded = new Uint8Array(blockLength * k);
        padded.set(crypttext);
      }
      const pieces = Array.from({ length: k }, (_, i) =>
        padded.subarray(i * blockLength, (i + 1) * blockLength),
      );
      const offset = layout.offsets.data + segment * params.blockSize;
      // Write-behind: the previous segment's writes finish while this one is encrypted; its parity buffers
      // (the other of the two sets) are reused only after they have. Its hashes, too, run in the thread pool
      // while this segment is encrypted and coded (WebCrypto copied their input when they were started).
      await Promise.all([pendingWrites, pendingHashes]);
      const set = parityBuffers[segment % 2] as Uint8Array[];
      const parity = set.map((b) => b.subarray(0, blockLength));
      if (parity.length > 0) codec.encodeInto(pieces, parityNumbers, parity);
      const blocks = [...pieces, ...parity];
      const writes: Promise<void>[] = [];
      blocks.forEach((block, i) => {
        const sink = targets[i];
        if (sink) writes.push(sink.write(offset, block, { signal }));
      });
      pendingWrites = Promise.all(writes);
      pendingWrites.catch(() => {});
      const index = segment;
      pendingHashes = Promise.all([
        Promise.all(blocks.map((block) => blockHashAsync(block))).then((hashes) => {
          for (const [i, h] of hashes.entries()) (blockHashes[i] as Uint8Array[])[index] = h;
        }),
        segmentHash.then((h) => {
          segmentHashes[index] = h;
        }),
      ]);
      pendingHashes.catch(() => {});
      segment++;
    }
    await Promise.all([pendingWrites, pendingHashes]);
    if (segment !== params.numSegments) {
      throw new ChkSourceError(`the plaintext produced ${segment} segments, expected ${params.numSegments}`);
    }
    if (recheck && !Buffer.from(recheck.digest()).equals(Buffer.from(key))) {
      throw new ChkSourceError(
        'the plaintext changed between the key pass and the encoding pass; the shares are invalid',
      );
    }

    const crypttextTree = buildHashTree(segmentHashes);
    const blockTrees = blockHashes.map((leaves) => buildHashTree(leaves));
    const shareTree = buildHashTree(blockTrees.map((t) => t[0] as Uint8Array));
    const ueb = uebFor(params, {
      crypttext: wholeHasher.digest(),
      crypttextRoot: crypttextTree[0] as Uint8Array,
      shareRoot: shareTree[0] as Uint8Array,
    });
    const uebBytes = packUriExtension(ueb);
    const uebHash = uriExtensionHash(uebBytes);
    const crypttextBytes = Buffer.concat(crypttextTree);

    await Promise.all(
      targets.map(async (sink, shareNumber) => {
        if (!sink) return;
        const trailer = new Uint8Array(layout.shareSize - layout.offsets.plaintextHashTree);
        const view = Buffer.from(trailer.buffer, trailer.byteOffset, trailer.byteLength);
        const base = layout.offsets.plaintextHashTree;
        // The plaintext hash tree is no longer computed; its space stays zero filled.
        view.set(crypttextBytes, layout.offsets.crypttextHashTree - base);
        view.set(Buffer.concat(blockTrees[shareNumber] as Uint8Array[]), layout.offsets.blockHashes - base);
        let pos = layout.offsets.shareHashes - base;
        // Tahoe writes these in CPython set iteration order.
        for (const node of pythonSetOrder(neededHashes(n, shareNumber, true))) {
          view.writeUInt16BE(node, pos);
          view.set(shareTree[node] as Uint8Array, pos + 2);
          pos += 34;
        }
        if (layout.uebLengthSize === 4) view.writeUInt32BE(uebBytes.length, pos);
        else view.writeBigUInt64BE(BigInt(uebBytes.length), pos);
        view.set(uebBytes, pos + layout.uebLengthSize);
        await sink.write(base, trailer, { signal });
        await sink.close({ signal });
      }),
    );
    const cap: ChkCap = { kind: 'CHK', key, uebHash, needed: k, total: n, size: params.size };
    return { cap, uebHash, ueb, storageIndex: plan.storageIndex };
  } catch (error) {
    await Promise.allSettled(targets.map(async (s) => s?.abort?.(error)));
    throw error;
  }
}
