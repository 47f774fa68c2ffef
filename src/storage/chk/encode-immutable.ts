/**
 * One-call immutable upload into memory: plaintext in, cap and the N share files out (what Tahoe's uploader
 * sends to storage servers, i.e. the share data inside each server's container file).
 *
 * @module
 */

import { formatCap } from '../caps/format.js';
import type { ChkCap, LiteralCap } from '../caps/types.js';
import { type ImmutableEncodeOptions, planImmutableUpload, writeImmutableShares } from './encoder.js';
import { MemoryShareSink } from './share-sink.js';
import { type ImmutableSource, isRereadable } from './source.js';
import type { UriExtension } from './ueb.js';

/** Result of {@link encodeImmutable}. */
export interface EncodedImmutable {
  /** The read cap string (`URI:CHK:...` or `URI:LIT:...`). */
  cap: string;
  /** The parsed cap. */
  capObject: ChkCap | LiteralCap;
  /** Share bytes by share number (N entries), empty for a literal file. */
  shares: Uint8Array[];
  /** Storage index (CHK only). */
  storageIndex?: Uint8Array;
  /** The URI extension block (CHK only). */
  ueb?: UriExtension;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk.slice());
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Encodes a file as Tahoe-LAFS does and returns the cap and every share's bytes. With a convergence secret the
 * source is read twice (see {@link planImmutableUpload}); a single-use `AsyncIterable` is then first collected
 * into memory, which is no worse than the shares this function returns anyway. For large files use
 * {@link planImmutableUpload} + {@link writeImmutableShares} with streaming sinks instead.
 */
export async function encodeImmutable(
  data: ImmutableSource,
  options: ImmutableEncodeOptions = {},
): Promise<EncodedImmutable> {
  let source = data;
  if (!isRereadable(source) && (options.convergenceSecret !== undefined || options.size === undefined)) {
    source = await collect(source as AsyncIterable<Uint8Array>);
  }
  const plan = await planImmutableUpload(source, options);
  if (plan.kind === 'LIT') return { cap: formatCap(plan.cap), capObject: plan.cap, shares: [] };
  const sinks = Array.from({ length: plan.params.total }, () => new MemoryShareSink(plan.layout.shareSize));
  const result = await writeImmutableShares(plan, sinks, options);
  return {
    cap: formatCap(result.cap),
    capObject: result.cap,
    shares: sinks.map((s) => s.bytes),
    storageIndex: result.storageIndex,
    ueb: result.ueb,
  };
}
