/**
 * Streaming CHK decoder (Tahoe `immutable/downloader/*`; spec `docs/specifications/file-encoding.rst`).
 *
 * Shares are opened lazily, primary shares (0..k-1) first because zfec decodes them without arithmetic. Every
 * block is verified before use; a share that fails any check (UEB, share hashes, a block, its crypttext chain,
 * a read error) is set aside with a {@link CorruptShareError} and another share takes its place. When fewer
 * than k good shares remain, {@link NotEnoughSharesError} lists what went wrong with each. Segments are
 * decrypted and yielded one at a time, so memory stays at about two segments.
 *
 * @module
 */
import { createAesCtr } from '../../crypto/aes-ctr.js';
import { BadHashError } from '../../crypto/errors.js';
import { crypttextSegmentHash } from '../../crypto/hashutil.js';
import { createCodec } from '../../crypto/zfec/index.js';
import { AbortError, type LafsError } from '../../errors.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../../util/abort.js';
import type { ChkCap } from '../caps/types.js';
import { createDecodeContext, type DecodeContext } from './decode-context.js';
import { CorruptFileError, NotEnoughSharesError, UriExtensionError } from './errors.js';
import { ChkShareHandle } from './share-handle.js';
import { type ShareReaders, shareReaderEntries } from './share-reader.js';

/** Options of {@link decodeChk}. */
export interface ChkDecodeOptions extends AbortOptions {
  /** Told about each share set aside (corrupt, truncated, unreadable), as it happens. */
  onShareFailure?: ((error: LafsError) => void) | undefined;
  /** Byte offset of the first plaintext byte wanted (default 0). Only the segments covering the range are read. */
  offset?: number | undefined;
  /** Number of bytes wanted from `offset` (default: to the end of the file; clipped at the end). */
  length?: number | undefined;
}

class SharePool {
  readonly #cap: ChkCap;
  readonly #pending: ChkShareHandle[];
  readonly #options: AbortOptions;
  readonly #onFailure: ((error: LafsError) => void) | undefined;
  readonly active: ChkShareHandle[] = [];
  readonly failures: LafsError[] = [];
  ctx: DecodeContext | undefined;

  constructor(
    cap: ChkCap,
    readers: ShareReaders,
    options: AbortOptions,
    onFailure?: (error: LafsError) => void,
  ) {
    this.#cap = cap;
    this.#options = options;
    this.#onFailure = onFailure;
    const entries = shareReaderEntries(readers, cap.total);
    // Primary shares first: decoding them needs no matrix arithmetic.
    entries.sort((a, b) => Number(a[0] >= cap.needed) - Number(b[0] >= cap.needed) || a[0] - b[0]);
    this.#pending = entries.map(([n, r]) => new ChkShareHandle(n, r));
  }

  fail(handle: ChkShareHandle, error: unknown, what: string, segment?: number): void {
    const wrapped = handle.corrupt(error, what, segment);
    if (wrapped instanceof AbortError) throw wrapped;
    this.record(wrapped);
    const i = this.active.indexOf(handle);
    if (i >= 0) this.active.splice(i, 1);
  }

  record(error: LafsError): void {
    this.failures.push(error);
    this.#onFailure?.(error);
  }

  notEnough(): NotEnoughSharesError {
    const good = this.active.length;
    const detail = this.failures.map((f) => f.message).join('; ');
    return new NotEnoughSharesError(
      `need ${this.#cap.needed} good shares, have ${good}${this.failures.length ? ` (${detail})` : ''}`,
      this.#cap.needed,
      [...this.failures],
    );
  }

  async #open(handle: ChkShareHandle): Promise<void> {
    try {
      const intro = await handle.readIntro(this.#cap.uebHash, this.#options);
      this.ctx ??= createDecodeContext(this.#cap, intro.ueb);
      await handle.attach(this.ctx, this.#options);
      this.active.push(handle);
    } catch (error) {
      if (error instanceof UriExtensionError) throw error;
      this.fail(handle, error, 'cannot open');
    }
  }

  /** Opens pending shares until `count` are active (or none are left). */
  async ensure(count: number): Promise<void> {
    while (this.active.length < count && this.#pending.length > 0) {
      const batch = this.#pending.splice(0, count - this.active.length);
      if (this.ctx === undefined) {
        // The first share fixes the context; open it alone so the others reuse it.
        await this.#open(batch.shift() as ChkShareHandle);
        this.#pending.unshift(...batch);
        continue;
      }
      await Promise.all(batch.map((h) => this.#open(h)));
    }
  }
}

/**
 * Decodes a CHK file from any k of its shares and yields the plaintext segment by segment. Throws
 * {@link NotEnoughSharesError} when fewer than k shares survive verification, {@link CorruptFileError} when
 * k verified shares decode to ciphertext the crypttext hash tree rejects (a bad upload), and `AbortError` on
 * cancellation.
 */
export async function* decodeChk(
  cap: ChkCap,
  readers: ShareReaders,
  options: ChkDecodeOptions = {},
): AsyncGenerator<Uint8Array> {
  const start = options.offset ?? 0;
  if (!Number.isSafeInteger(start) || start < 0)
    throw new RangeError(`offset must be a non-negative integer, got ${start}`);
  const wanted = options.length ?? cap.size;
  if (!Number.isSafeInteger(wanted) || wanted < 0)
    throw new RangeError(`length must be a non-negative integer, got ${wanted}`);
  const end = Math.min(cap.size, start + Math.min(wanted, cap.size));
  if (start >= end) return;
  const signal = combineSignals(options, 'decoding the immutable file');
  const opts: AbortOptions = { signal };
  const pool = new SharePool(cap, readers, opts, options.onShareFailure);
  const k = cap.needed;
  await pool.ensure(k);
  const ctx = pool.ctx;
  if (!ctx || pool.active.length < k) throw pool.notEnough();
  const p = ctx.params;
  const codec = createCodec(k, p.total);
  const firstSegment = Math.floor(start / p.segmentSize);
  const lastSegment = Math.floor((end - 1) / p.segmentSize);
  const aes = createAesCtr(cap.key, firstSegment * p.segmentSize);
  // Reused for every segment: the zfec output, i.e. the ciphertext before decryption.
  const segmentBuffer = new Uint8Array(p.segmentSize);

  const fetchBlocks = async (segment: number): Promise<Map<number, Uint8Array>> => {
    const blocks = new Map<number, Uint8Array>();
    const tried = new Set<ChkShareHandle>();
    while (blocks.size < k) {
      let candidates = pool.active.filter((h) => !tried.has(h)).slice(0, k - blocks.size);
      if (candidates.length < k - blocks.size) {
        await pool.ensure(pool.active.length + (k - blocks.size - candidates.length));
        candidates = pool.active.filter((h) => !tried.has(h)).slice(0, k - blocks.size);
      }
      if (candidates.length === 0) throw pool.notEnough();
      await Promise.all(
        candidates.map(async (h) => {
          tried.add(h);
          try {
            blocks.set(h.shareNumber, await h.readBlock(ctx, segment, opts));
          } catch (error) {
            pool.fail(h, error, 'bad block', segment);
          }
        }),
      );
    }
    return blocks;
  };

  // Read-ahead: the next segment's blocks are fetched while this one is decoded and consumed.
  let next: Promise<Map<number, Uint8Array>> | undefined = fetchBlocks(firstSegment);
  for (let segment = firstSegment; segment <= lastSegment; segment++) {
    throwIfAborted(signal, 'decoding the immutable file');
    const blocks = await (next as Promise<Map<number, Uint8Array>>);
    next = segment < lastSegment ? fetchBlocks(segment + 1) : undefined;
    next?.catch(() => {});
    const numbers = [...blocks.keys()].sort((a, b) => a - b);
    const blockLength = segment === p.numSegments - 1 ? p.tailBlockSize : p.blockSize;
    const outputs = Array.from({ length: k }, (_, i) =>
      segmentBuffer.subarray(i * blockLength, (i + 1) * blockLength),
    );
    codec.decodeInto(
      numbers.map((n) => blocks.get(n) as Uint8Array),
      numbers,
      outputs,
    );
    const segmentLength = segment === p.numSegments - 1 ? p.tailSize : p.segmentSize;
    const crypttext = segmentBuffer.subarray(0, segmentLength);

    // Hashed here rather than in the thread pool: the result is needed at once, and WebCrypto would first
    // copy the whole segment into fresh native memory.
    const leaf = crypttextSegmentHash(crypttext);
    let checked = ctx.crypttextTree.getLeaf(segment) !== undefined;
    for (const h of [...pool.active]) {
      if (checked) break;
      try {
        await h.checkCrypttextSegment(ctx, segment, leaf, opts);
        checked = true;
      } catch (error) {
        if (!(error instanceof BadHashError)) pool.fail(h, error, 'bad crypttext hash chain', segment);
        else pool.record(h.corrupt(error, 'crypttext hash chain disagrees', segment));
      }
    }
    if (!checked) {
      throw new CorruptFileError(
        `segment ${segment}: the ciphertext decoded from verified shares does not match the crypttext hash tree`,
        segment,
      );
    }
    const plaintext = aes.update(crypttext);
    const segmentStart = segment * p.segmentSize;
    const from = Math.max(start - segmentStart, 0);
    const to = Math.min(end - segmentStart, plaintext.length);
    yield from === 0 && to === plaintext.length ? plaintext : plaintext.subarray(from, to);
  }
}
