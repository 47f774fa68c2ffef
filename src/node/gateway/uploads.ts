/**
 * Uploading immutable files through the gateway: `PUT /uri` (the body is the file) and `POST /uri?t=upload`
 * (a multipart form with a `file` field), webapi.rst "Writing/Uploading a File" and "Uploading a File".
 *
 * The body is spooled to a temporary file under the node's `tmp/` (convergent encryption reads the plaintext
 * twice: once for the key, once to encrypt), then uploaded from it and deleted, so memory stays bounded
 * whatever the file size.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { base32Encode } from '../../crypto/base32.js';
import { formatCap } from '../../storage/caps/format.js';
import { uploadImmutable } from '../../storage/client/upload.js';
import type { GatewayContext } from './context.js';
import { BadRequestError, NotSupportedError } from './errors.js';
import { escapeHtml, htmlPage } from './html.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { send } from './respond.js';
import { type SpoolFile, SpoolWriter } from './spool.js';
import type { TransferHandle } from './transfers.js';

/** Rejects upload options this gateway cannot honour yet (mutable files, other formats). */
function checkFormat(args: { get(name: string): string | null | undefined }): void {
  const mutable = args.get('mutable');
  const format = args.get('format');
  if (mutable === 'true' || (format && !/^chk$/i.test(format))) {
    throw new NotSupportedError(
      `this gateway uploads immutable (CHK) files only; format=${format ?? ''} mutable=${mutable ?? ''} is not supported yet`,
    );
  }
}

function declaredLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Uploads a spooled file to the grid, recording progress on `transfer`; returns the cap string. */
async function uploadSpool(
  ctx: GatewayContext,
  spool: SpoolFile,
  transfer: TransferHandle,
  signal: AbortSignal | undefined,
): Promise<string> {
  const { needed, happy, total, maxSegmentSize } = ctx.backend.encoding;
  transfer.describe({ size: spool.size });
  const result = await uploadImmutable(() => spool.open(), ctx.backend.servers(), {
    needed,
    happy,
    total,
    maxSegmentSize,
    size: spool.size,
    leaseSecrets: ctx.backend.leaseSecrets,
    convergenceSecret: ctx.backend.convergenceSecret,
    onProgress: (p) => transfer.progress(p),
    signal,
  });
  if (result.storageIndex) transfer.describe({ storageIndex: base32Encode(result.storageIndex) });
  return formatCap(result.cap);
}

/** Runs `work` as a recorded upload, ending the record and removing the spool in every case. */
async function recorded(
  ctx: GatewayContext,
  size: number | undefined,
  work: (transfer: TransferHandle, spools: SpoolWriter[]) => Promise<string>,
): Promise<string> {
  const transfer = ctx.tracker.start('upload', size);
  const spools: SpoolWriter[] = [];
  // The spool goes before the record ends, so a finished record never leaves a file behind.
  const cleanUp = async (): Promise<void> => {
    for (const s of spools) await s.remove();
  };
  let cap: string;
  try {
    cap = await work(transfer, spools);
  } catch (error) {
    await cleanUp();
    transfer.fail(error instanceof Error ? error.message : 'failed');
    throw error;
  }
  await cleanUp();
  transfer.finish();
  return cap;
}

/** `PUT /uri`: the request body is the file; answers 200 with the new cap as text. */
export async function handlePutUri(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  signal: AbortSignal | undefined,
): Promise<void> {
  checkFormat(query);
  const length = declaredLength(req);
  const cap = await recorded(ctx, length, async (transfer, spools) => {
    const writer = await SpoolWriter.create(ctx.backend.tmpDir, ctx.limits.maxUploadBytes);
    spools.push(writer);
    for await (const chunk of req as AsyncIterable<Uint8Array>) {
      await writer.write(chunk);
      transfer.progress({ phase: 'receiving', done: writer.size, total: length });
    }
    if (signal?.aborted) throw signal.reason;
    return uploadSpool(ctx, await writer.finish(), transfer, signal);
  });
  send(res, 200, 'text/plain; charset=utf-8', cap);
}

/** Small form fields we read (`t`, `format`, `mutable`, `when_done`) are capped at this many bytes. */
const MAX_FIELD_BYTES = 4096;

/**
 * `POST /uri?t=upload`: a multipart form whose `file` field is the file. Answers with `when_done` as a 303
 * redirect (`%(uri)s` replaced by the URL-escaped cap; local paths only), else an HTML page naming the cap.
 */
export async function handlePostUpload(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  signal: AbortSignal | undefined,
): Promise<void> {
  const boundary = boundaryOf(req.headers['content-type']);
  const length = declaredLength(req);
  const fields = new Map<string, string>();
  const cap = await recorded(ctx, undefined, async (transfer, spools) => {
    let spool: SpoolFile | undefined;
    let writer: SpoolWriter | undefined;
    let field: { name: string; text: string } | undefined;
    let received = 0;
    const counted = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of req as AsyncIterable<Uint8Array>) {
        received += chunk.length;
        if (received > ctx.limits.maxUploadBytes + 64 * 1024)
          throw new BadRequestError(`the form is larger than ${ctx.limits.maxUploadBytes} bytes`);
        transfer.progress({ phase: 'receiving', done: received, total: length });
        yield chunk;
      }
    };
    for await (const event of parseMultipart(counted(), boundary)) {
      if (event.type === 'part') {
        if (event.name === 'file') {
          if (spool || writer) throw new BadRequestError('the form has more than one "file" field');
          writer = await SpoolWriter.create(ctx.backend.tmpDir, ctx.limits.maxUploadBytes);
          spools.push(writer);
        } else {
          field = { name: event.name, text: '' };
        }
      } else if (event.type === 'data') {
        if (writer) await writer.write(event.chunk);
        else if (field) {
          field.text += Buffer.from(event.chunk).toString('utf8');
          if (field.text.length > MAX_FIELD_BYTES)
            throw new BadRequestError(`form field "${field.name}" is longer than ${MAX_FIELD_BYTES} bytes`);
        }
      } else {
        if (writer) spool = await writer.finish();
        else if (field) fields.set(field.name, field.text);
        writer = undefined;
        field = undefined;
      }
    }
    checkFormat({ get: (name) => query.get(name) ?? fields.get(name) });
    if (!spool) throw new BadRequestError('the upload form has no "file" field');
    return uploadSpool(ctx, spool, transfer, signal);
  });
  const whenDone = query.get('when_done') ?? fields.get('when_done');
  if (whenDone) {
    if (!whenDone.startsWith('/') || whenDone.startsWith('//'))
      throw new BadRequestError('when_done must be a path on this gateway (starting with a single "/")');
    res.writeHead(303, { Location: whenDone.replaceAll('%(uri)s', encodeURIComponent(cap)) });
    res.end();
    return;
  }
  const link = `/uri/${encodeURIComponent(cap)}`;
  send(
    res,
    200,
    'text/html; charset=utf-8',
    htmlPage(
      'Upload Results',
      `<p>File uploaded. Its cap is:</p>\n<p><code id="uri">${escapeHtml(cap)}</code></p>\n` +
        `<p><a href="${escapeHtml(link)}">Download it</a> | <a href="/">Return to the Welcome Page</a></p>`,
    ),
  );
}
