/**
 * Reading immutable files through the gateway: `GET /uri/$FILECAP` (with a single `Range`),
 * `GET /named/$FILECAP/NAME`, and `GET /uri/$FILECAP?t=json` (webapi.rst "Reading a File", "Browser
 * Operations", "Getting Information About a File Or Directory").
 *
 * A range is served by downloading from the start of the file and discarding the bytes before it (the
 * downloader has no random access yet); the download stops as soon as the range is sent.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { base32Encode } from '../../crypto/base32.js';
import {
  capStorageIndex,
  fileCapOf,
  isMutableCap,
  isVerifierCap,
  toVerifierCap,
} from '../../storage/caps/derive.js';
import { MalformedCapError } from '../../storage/caps/errors.js';
import { formatCap } from '../../storage/caps/format.js';
import { parseCap } from '../../storage/caps/parse.js';
import { redactCap } from '../../storage/caps/redact.js';
import { type Cap, type ChkCap, isDirectoryCap, type LiteralCap } from '../../storage/caps/types.js';
import { downloadImmutable } from '../../storage/client/download.js';
import type { GatewayContext } from './context.js';
import { BadRequestError, NotSupportedError } from './errors.js';
import { contentTypeFor } from './mime.js';
import { resolveRange } from './range.js';
import { sendJson, writeChunk } from './respond.js';

/** Parses a cap from a URL. @throws {BadRequestError} naming the problem (the cap redacted). */
export function parseCapArgument(text: string): Cap {
  try {
    return parseCap(text.trim());
  } catch (error) {
    if (error instanceof MalformedCapError) {
      throw new BadRequestError(`Invalid cap ${redactCap(text)}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The immutable file behind `cap`. @throws for caps this gateway cannot read (verifiers, mutables, dirs). */
function immutableFile(cap: Cap): ChkCap | LiteralCap {
  if (isDirectoryCap(cap))
    throw new NotSupportedError(`directories (${cap.kind} caps) are not supported by this gateway yet`);
  if (isVerifierCap(cap))
    throw new BadRequestError(`a ${cap.kind} cap can check a file but not read it: give the read cap`);
  if (isMutableCap(cap))
    throw new NotSupportedError(`mutable files (${cap.kind} caps) are not supported by this gateway yet`);
  const file = fileCapOf(cap);
  if (file.kind !== 'CHK' && file.kind !== 'LIT')
    throw new BadRequestError(`a ${file.kind} cap cannot be read as a file`);
  return file;
}

/** `GET /uri/$FILECAP?t=json`: `["filenode", {ro_uri, verify_uri, size, mutable, format}]`. */
export function handleFileJson(res: ServerResponse, cap: Cap): void {
  const file = immutableFile(cap);
  const verifier = toVerifierCap(file);
  sendJson(res, [
    'filenode',
    {
      ro_uri: formatCap(file),
      ...(verifier ? { verify_uri: formatCap(verifier) } : {}),
      size: file.kind === 'LIT' ? file.data.length : file.size,
      mutable: false,
      format: file.kind,
    },
  ]);
}

/** Options of {@link handleFileGet}. */
export interface FileGetOptions {
  /** Name for the Content-Type (and, with `save`, the Content-Disposition). */
  name?: string | undefined;
  /** Ask the browser to save rather than show the file. */
  save?: boolean;
  signal?: AbortSignal | undefined;
}

/** `GET` or `HEAD /uri/$FILECAP` and `/named/$FILECAP/NAME`: streams the file, or the requested range. */
export async function handleFileGet(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  cap: Cap,
  options: FileGetOptions,
): Promise<void> {
  const file = immutableFile(cap);
  const size = file.kind === 'LIT' ? file.data.length : file.size;
  const range = resolveRange(req.headers.range, size);
  const headers: Record<string, string | number> = {
    'Content-Type': options.name ? contentTypeFor(options.name) : 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    // A cap names its contents forever.
    ETag: `"${file.kind === 'CHK' ? base32Encode(capStorageIndex(file)!) : 'LIT'}-${size}"`,
    'Cache-Control': 'private, max-age=31536000, immutable',
  };
  if (options.save) {
    const name = (options.name ?? 'download').replace(/["\\\r\n]/g, '_');
    headers['Content-Disposition'] = `attachment; filename="${name}"`;
  }
  const start = range?.start ?? 0;
  const end = range ? range.end + 1 : size;
  headers['Content-Length'] = end - start;
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  const status = range ? 206 : 200;
  if (req.method === 'HEAD') {
    res.writeHead(status, headers);
    res.end();
    return;
  }

  const transfer = ctx.tracker.start('download', size);
  if (file.kind === 'CHK') transfer.describe({ storageIndex: base32Encode(capStorageIndex(file)!) });
  const chunks = downloadImmutable(file, ctx.backend.servers(), {
    signal: options.signal,
    onProgress: (p) => transfer.progress(p),
  })[Symbol.asyncIterator]();
  try {
    // Pull the first chunk before answering, so a file that cannot be found gets a clean error status.
    let next = await chunks.next();
    res.writeHead(status, headers);
    let position = 0;
    while (!next.done && position < end) {
      const chunk = next.value;
      const from = Math.max(0, start - position);
      const to = Math.min(chunk.length, end - position);
      position += chunk.length;
      if (to > from) await writeChunk(res, chunk.subarray(from, to), { signal: options.signal });
      if (position >= end) break;
      next = await chunks.next();
    }
    res.end();
    transfer.finish();
  } catch (error) {
    transfer.fail(error instanceof Error ? error.message : 'failed');
    throw error;
  } finally {
    await chunks.return?.(undefined);
  }
}
