/**
 * One share being downloaded: its header, its validated place in the share hash tree, and verified block
 * reads (Tahoe `immutable/downloader/share.py`; layout in `immutable/layout.py`).
 *
 * Every hash read from the share is untrusted until it chains up to a root that came from the cap: the UEB must
 * hash to the cap's UEB hash; the share's block-tree root, with the share hashes it stores, must lead to the
 * UEB's share root; each block, with the block-tree nodes it needs, must lead to that block-tree root.
 *
 * @module
 */

import { hashTreeSize, IncompleteHashTree } from '../../crypto/hashtree.js';
import { blockHash, HASH_LENGTH, uriExtensionHash } from '../../crypto/hashutil.js';
import { AbortError, type LafsError } from '../../errors.js';
import type { AbortOptions } from '../../util/abort.js';
import type { DecodeContext } from './decode-context.js';
import { CorruptShareError, ShareLayoutError } from './errors.js';
import { MAX_HEADER_SIZE, parseShareHeader, type ShareHeader } from './layout.js';
import type { ShareReader } from './share-reader.js';
import { MAX_UEB_SIZE, parseUriExtension, type UriExtension } from './ueb.js';

/** Segment hash trees up to this size (per tree) are read whole when a share is opened. */
const TREE_PREFETCH_LIMIT = 256 * 1024;

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** Read before the context exists: header and UEB of one share. */
export interface ShareIntro {
  header: ShareHeader;
  uebBytes: Uint8Array;
  ueb: UriExtension;
}

/** A share whose header and position in the share hash tree have been verified. */
export class ChkShareHandle {
  readonly shareNumber: number;
  readonly #reader: ShareReader;
  #header: ShareHeader | undefined;
  #blockTree: IncompleteHashTree | undefined;
  /** Whole tree sections read in one go when small (offset → bytes), to save a read per segment. */
  readonly #sections = new Map<number, Uint8Array>();
  /** Where blocks of even and odd segments are read to, for readers with `readInto`. */
  readonly #blockBuffers: (Uint8Array | undefined)[] = [undefined, undefined];

  constructor(shareNumber: number, reader: ShareReader) {
    this.shareNumber = shareNumber;
    this.#reader = reader;
  }

  /** Wraps any failure other than an abort as a {@link CorruptShareError} naming this share. */
  corrupt(error: unknown, what: string, segment?: number): LafsError {
    if (error instanceof AbortError) return error;
    if (error instanceof CorruptShareError) return error;
    // Programming errors are not the share's fault: let them surface.
    if (error instanceof ReferenceError || error instanceof SyntaxError) throw error;
    if (error instanceof Error && error.message.startsWith('bug:')) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const where = segment === undefined ? '' : ` (segment ${segment})`;
    return new CorruptShareError(
      `share ${this.shareNumber}: ${what}${where}: ${reason}`,
      this.shareNumber,
      segment,
      { cause: error },
    );
  }

  async #readExact(offset: number, length: number, what: string, options: AbortOptions): Promise<Uint8Array> {
    const data = await this.#reader.read(offset, length, options);
    if (data.length !== length) {
      throw new ShareLayoutError(
        `${what}: share ended after ${data.length} of ${length} bytes at offset ${offset}`,
        offset,
      );
    }
    return data;
  }

  /**
   * A block's bytes: read into this share's buffer for the segment's parity when the reader can (the decoder
   * holds the blocks of at most two segments at once, the one it decodes and the next), else a fresh buffer.
   */
  async #readBlockBytes(
    offset: number,
    length: number,
    segment: number,
    options: AbortOptions,
  ): Promise<Uint8Array> {
    const reader = this.#reader;
    if (!reader.readInto) return this.#readExact(offset, length, 'block', options);
    let buffer = this.#blockBuffers[segment % 2];
    if (!buffer || buffer.length < length) {
      buffer = new Uint8Array(length);
      this.#blockBuffers[segment % 2] = buffer;
    }
    const target = buffer.subarray(0, length);
    const got = await reader.readInto(offset, target, options);
    if (got !== length) {
      throw new ShareLayoutError(
        `block: share ended after ${got} of ${length} bytes at offset ${offset}`,
        offset,
      );
    }
    return target;
  }

  /** Reads the header and the UEB, and checks the UEB against the cap's UEB hash. */
  async readIntro(uebHash: Uint8Array, options: AbortOptions): Promise<ShareIntro> {
    const head = await this.#reader.read(0, MAX_HEADER_SIZE, options);
    const header = parseShareHeader(head);
    const lengthSize = header.version === 1 ? 4 : 8;
    const lengthBytes = Buffer.from(
      await this.#readExact(header.offsets.uriExtension, lengthSize, 'UEB length', options),
    );
    const uebLength = lengthSize === 4 ? lengthBytes.readUInt32BE(0) : Number(lengthBytes.readBigUInt64BE(0));
    if (uebLength > MAX_UEB_SIZE) {
      throw new ShareLayoutError(
        `UEB length ${uebLength} exceeds ${MAX_UEB_SIZE}`,
        header.offsets.uriExtension,
      );
    }
    const uebBytes = await this.#readExact(
      header.offsets.uriExtension + lengthSize,
      uebLength,
      'UEB',
      options,
    );
    if (!equal(uriExtensionHash(uebBytes), uebHash)) {
      throw new CorruptShareError(
        `share ${this.shareNumber}: its URI extension block does not hash to the cap's UEB hash`,
        this.shareNumber,
      );
    }
    this.#header = header;
    return { header, uebBytes, ueb: parseUriExtension(uebBytes) };
  }

  /** Checks the layout against the file's parameters and validates the share's block-tree root. */
  async attach(ctx: DecodeContext, options: AbortOptions): Promise<void> {
    const header = this.#header;
    if (!header) throw new Error('bug: attach() before readIntro()');
    const o = header.offsets;
    const treeBytes = hashTreeSize(ctx.params.numSegments) * HASH_LENGTH;
    if (o.plaintextHashTree - o.data < ctx.params.shareDataSize) {
      throw new ShareLayoutError(
        `data section holds ${o.plaintextHashTree - o.data} bytes, need ${ctx.params.shareDataSize}`,
        0,
      );
    }
    if (o.blockHashes - o.crypttextHashTree !== treeBytes || o.shareHashes - o.blockHashes !== treeBytes) {
      throw new ShareLayoutError(
        `hash tree sections are not ${treeBytes} bytes each for ${ctx.params.numSegments} segments`,
        0,
      );
    }
    const shareHashesLength = o.uriExtension - o.shareHashes;
    if (shareHashesLength % 34 !== 0 || shareHashesLength > 34 * 2 * ctx.shareTree.size) {
      throw new ShareLayoutError(
        `share hashes section of ${shareHashesLength} bytes is malformed`,
        o.shareHashes,
      );
    }
    const raw = Buffer.from(await this.#readExact(o.shareHashes, shareHashesLength, 'share hashes', options));
    const hashes = new Map<number, Uint8Array>();
    for (let pos = 0; pos < raw.length; pos += 34) {
      const node = raw.readUInt16BE(pos);
      if (node >= ctx.shareTree.size) {
        throw new ShareLayoutError(
          `share hash node ${node} is outside the ${ctx.shareTree.size}-node share tree`,
          o.shareHashes + pos,
        );
      }
      hashes.set(node, new Uint8Array(raw.subarray(pos + 2, pos + 34)));
    }
    if (treeBytes <= TREE_PREFETCH_LIMIT) {
      // Both segment trees in one read (they are adjacent), then no further hash reads for this share.
      const both = await this.#readExact(o.crypttextHashTree, 2 * treeBytes, 'hash trees', options);
      this.#sections.set(o.crypttextHashTree, both.subarray(0, treeBytes));
      this.#sections.set(o.blockHashes, both.subarray(treeBytes));
    }
    const root = (await this.readNodes(o.blockHashes, [0], options)).get(0) as Uint8Array;
    ctx.shareTree.setHashes(hashes, new Map([[this.shareNumber, root]]));
    const blockTree = new IncompleteHashTree(
      ctx.params.numSegments,
      `block hash tree of share ${this.shareNumber}`,
    );
    blockTree.setHashes(new Map([[0, root]]));
    this.#blockTree = blockTree;
  }

  /** Reads tree nodes `indices` from the tree section at `sectionOffset`, one read per contiguous run. */
  async readNodes(
    sectionOffset: number,
    indices: readonly number[],
    options: AbortOptions,
  ): Promise<Map<number, Uint8Array>> {
    const sorted = [...indices].sort((a, b) => a - b);
    const out = new Map<number, Uint8Array>();
    const section = this.#sections.get(sectionOffset);
    if (section) {
      for (const i of sorted) {
        if ((i + 1) * HASH_LENGTH > section.length)
          throw new ShareLayoutError(`hash tree node ${i} is out of range`, sectionOffset);
        out.set(i, section.subarray(i * HASH_LENGTH, (i + 1) * HASH_LENGTH));
      }
      return out;
    }
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
      const first = sorted[i] as number;
      const count = (sorted[j] as number) - first + 1;
      const bytes = await this.#readExact(
        sectionOffset + first * HASH_LENGTH,
        count * HASH_LENGTH,
        'hash tree nodes',
        options,
      );
      for (let n = 0; n < count; n++) out.set(first + n, bytes.slice(n * HASH_LENGTH, (n + 1) * HASH_LENGTH));
      i = j + 1;
    }
    return out;
  }

  /**
   * Reads block `segment` and verifies it against this share's block hash tree. With a reader that has
   * `readInto`, the block lives in a buffer this handle reuses for segment `segment + 2`, so it is valid until
   * then (the decoder is done with a segment's blocks before it asks for the segment after next).
   */
  async readBlock(ctx: DecodeContext, segment: number, options: AbortOptions): Promise<Uint8Array> {
    const header = this.#header;
    const tree = this.#blockTree;
    if (!header || !tree) throw new Error('bug: readBlock() before attach()');
    const p = ctx.params;
    const length = segment === p.numSegments - 1 ? p.tailBlockSize : p.blockSize;
    const [block, nodes] = await Promise.all([
      this.#readBlockBytes(header.offsets.data + segment * p.blockSize, length, segment, options),
      this.readNodes(header.offsets.blockHashes, tree.neededHashes(segment), options),
    ]);
    tree.setHashes(nodes, new Map([[segment, blockHash(block)]]));
    return block;
  }

  /**
   * Checks segment `segment`'s ciphertext hash against the file's crypttext hash tree, using the tree nodes
   * this share stores. Throws `BadHashError` when the hash and the chain disagree.
   */
  async checkCrypttextSegment(
    ctx: DecodeContext,
    segment: number,
    leaf: Uint8Array,
    options: AbortOptions,
  ): Promise<void> {
    const header = this.#header;
    if (!header) throw new Error('bug: checkCrypttextSegment() before readIntro()');
    const nodes = await this.readNodes(
      header.offsets.crypttextHashTree,
      ctx.crypttextTree.neededHashes(segment),
      options,
    );
    ctx.crypttextTree.setHashes(nodes, new Map([[segment, leaf]]));
  }
}
