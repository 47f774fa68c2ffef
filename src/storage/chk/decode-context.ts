/**
 * What a CHK download knows once one share's URI extension block matched the cap: the file's parameters and
 * the two trusted hash trees (share hash tree, crypttext hash tree) shared by all shares (Tahoe
 * `immutable/downloader/node.py`, `share.py`).
 *
 * @module
 */
import { IncompleteHashTree } from '../../crypto/hashtree.js';
import type { ChkCap } from '../caps/types.js';
import { UriExtensionError } from './errors.js';
import { type ChkParams, chkParamsFromSegmentSize } from './params.js';
import type { UriExtension } from './ueb.js';

/** Segments larger than this are refused when decoding (Tahoe's default is 1 MiB; the limit bounds memory). */
export const MAX_DECODE_SEGMENT_SIZE = 256 * 1024 * 1024;

/** The per-file state of a download. */
export interface DecodeContext {
  cap: ChkCap;
  ueb: UriExtension;
  params: ChkParams;
  /** Share hash tree: root from the UEB; leaves are the shares' block-tree roots. */
  shareTree: IncompleteHashTree;
  /** Crypttext segment hash tree: root from the UEB. */
  crypttextTree: IncompleteHashTree;
}

/**
 * Checks a UEB (already known to hash to the cap's UEB hash) against the cap and itself, and builds the
 * context. An inconsistency is the uploader's fault, not a share's: it raises {@link UriExtensionError}.
 */
export function createDecodeContext(cap: ChkCap, ueb: UriExtension): DecodeContext {
  const mismatch = (field: string, got: unknown, want: unknown): never => {
    throw new UriExtensionError(
      `URI extension block: ${field} is ${String(got)} but should be ${String(want)}`,
      field,
    );
  };
  if (ueb.codecName !== 'crs') mismatch('codec_name', ueb.codecName, 'crs');
  if (ueb.size !== cap.size) mismatch('size', ueb.size, cap.size);
  if (ueb.neededShares !== cap.needed) mismatch('needed_shares', ueb.neededShares, cap.needed);
  if (ueb.totalShares !== cap.total) mismatch('total_shares', ueb.totalShares, cap.total);
  if (ueb.segmentSize < 1 || ueb.segmentSize > MAX_DECODE_SEGMENT_SIZE) {
    mismatch('segment_size', ueb.segmentSize, `within 1..${MAX_DECODE_SEGMENT_SIZE}`);
  }
  let params: ChkParams;
  try {
    params = chkParamsFromSegmentSize(cap.size, cap.needed, cap.total, ueb.segmentSize);
  } catch (cause) {
    throw new UriExtensionError(
      `URI extension block: inconsistent parameters: ${String(cause)}`,
      'segment_size',
      { cause },
    );
  }
  if (ueb.numSegments !== params.numSegments) mismatch('num_segments', ueb.numSegments, params.numSegments);
  const codecParams = `${params.segmentSize}-${params.needed}-${params.total}`;
  if (ueb.codecParams !== codecParams) mismatch('codec_params', ueb.codecParams, codecParams);
  const tailParams = `${params.paddedTailSize}-${params.needed}-${params.total}`;
  if (ueb.tailCodecParams !== tailParams) mismatch('tail_codec_params', ueb.tailCodecParams, tailParams);
  const shareTree = new IncompleteHashTree(params.total, 'share hash tree');
  shareTree.setHashes(new Map([[0, ueb.shareRootHash]]));
  const crypttextTree = new IncompleteHashTree(params.numSegments, 'crypttext hash tree');
  crypttextTree.setHashes(new Map([[0, ueb.crypttextRootHash]]));
  return { cap, ueb, params, shareTree, crypttextTree };
}
