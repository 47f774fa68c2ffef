/**
 * A streaming `multipart/form-data` parser (RFC 7578 over RFC 2046 section 5.1.1) for `POST /uri?t=upload`,
 * with bounded buffers: part headers are capped, and part bodies flow through holding back at most one
 * delimiter's length, whatever the size of the file.
 *
 * Grammar (RFC 2046):
 *   body      := preamble "--" boundary CRLF part *( CRLF "--" boundary CRLF part ) CRLF "--" boundary "--" epilogue
 *   part      := headers CRLF content      (headers end with an empty line)
 * We prepend CRLF to the stream so that every delimiter, the first included, is `CRLF "--" boundary`.
 *
 * @module
 */
import { BadRequestError } from './errors.js';

/** One step of a parsed form: a part starts, some of its content, it ends. */
export type MultipartEvent =
  | { type: 'part'; name: string; filename: string | undefined; contentType: string | undefined }
  | { type: 'data'; chunk: Uint8Array }
  | { type: 'end' };

/** Limits of {@link parseMultipart}. */
export interface MultipartLimits {
  /** Bytes of one part's header block (default 16 KiB). */
  maxHeaderBytes?: number;
  /** Parts in one body (default 32). */
  maxParts?: number;
}

/** The `boundary` parameter of a `multipart/form-data` Content-Type. @throws {BadRequestError} */
export function boundaryOf(contentType: string | undefined): string {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    throw new BadRequestError(
      `POST /uri?t=upload needs a multipart/form-data body, got Content-Type ${JSON.stringify(contentType ?? '')}`,
    );
  }
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new BadRequestError('the multipart/form-data Content-Type has no valid boundary');
  return boundary;
}

function param(header: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(
    header,
  );
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/** Parses one part's header block into a `part` event. */
function parsePartHeaders(block: string, index: number): MultipartEvent {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new BadRequestError(`multipart part ${index}: malformed header line`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  const name = disposition === undefined ? undefined : param(disposition, 'name');
  if (!disposition || !/^form-data\b/i.test(disposition) || name === undefined) {
    throw new BadRequestError(
      `multipart part ${index} has no "Content-Disposition: form-data; name=..." header`,
    );
  }
  return { type: 'part', name, filename: param(disposition, 'filename'), contentType };
}

/**
 * Parses `body` (a multipart/form-data stream with `boundary`) into events. Data chunks are views that stay
 * valid after the next step.
 *
 * @throws {BadRequestError} on malformed input or exceeded limits, naming the part.
 */
export async function* parseMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: MultipartLimits = {},
): AsyncGenerator<MultipartEvent> {
  const maxHeaderBytes = limits.maxHeaderBytes ?? 16 * 1024;
  const maxParts = limits.maxParts ?? 32;
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let buf: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' = 'preamble';
  let parts = 0;

  const source = body[Symbol.asyncIterator]();
  let ended = false;
  for (;;) {
    // Consume as much of `buf` as the current state can.
    for (;;) {
      if (state === 'preamble') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delimiter.length + 1));
          break;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after-delimiter';
      } else if (state === 'after-delimiter') {
        if (buf.length < 2) break;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
          break;
        }
        // Transport padding (spaces, tabs) may precede the CRLF.
        const crlf = buf.indexOf('\r\n');
        if (crlf < 0) {
          if (buf.length > 256) throw new BadRequestError('multipart: junk after a boundary delimiter');
          break;
        }
        if (!/^[ \t]*$/.test(buf.subarray(0, crlf).toString('latin1')))
          throw new BadRequestError('multipart: junk after a boundary delimiter');
        buf = buf.subarray(crlf + 2);
        state = 'headers';
      } else if (state === 'headers') {
        const at = buf.indexOf('\r\n\r\n');
        if (at < 0 && buf.length > maxHeaderBytes)
          throw new BadRequestError(`multipart part ${parts + 1}: headers exceed ${maxHeaderBytes} bytes`);
        if (at < 0) break;
        if (at > maxHeaderBytes)
          throw new BadRequestError(`multipart part ${parts + 1}: headers exceed ${maxHeaderBytes} bytes`);
        parts++;
        if (parts > maxParts) throw new BadRequestError(`multipart body has more than ${maxParts} parts`);
        yield parsePartHeaders(buf.subarray(0, at).toString('utf8'), parts);
        buf = buf.subarray(at + 4);
        state = 'body';
      } else if (state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          const keep = delimiter.length - 1;
          if (buf.length > keep) {
            yield { type: 'data', chunk: buf.subarray(0, buf.length - keep) };
            buf = buf.subarray(buf.length - keep);
          }
          break;
        }
        if (at > 0) yield { type: 'data', chunk: buf.subarray(0, at) };
        yield { type: 'end' };
        buf = buf.subarray(at + delimiter.length);
        state = 'after-delimiter';
      } else {
        break;
      }
    }
    if (state === 'done') {
      // The epilogue is ignored, but the rest of the body is drained so the connection stays usable.
      if (!ended) for (let r = await source.next(); !r.done; r = await source.next());
      return;
    }
    if (ended) throw new BadRequestError('the multipart body ended before its closing boundary');
    const next = await source.next();
    if (next.done) {
      ended = true;
      continue;
    }
    buf = buf.length === 0 ? Buffer.from(next.value) : Buffer.concat([buf, next.value]);
  }
}
