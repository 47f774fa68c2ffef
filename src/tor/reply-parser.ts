/**
 * A sans-IO parser of Tor control-port replies (control-spec sections 2.3 and 4): bytes in, complete replies out.
 *
 * Grammar (control-spec 2.3; CRLF, though a bare LF is tolerated):
 *
 *     Reply          = *(MidReplyLine / DataReplyLine) EndReplyLine
 *     MidReplyLine   = StatusCode "-" ReplyLine
 *     DataReplyLine  = StatusCode "+" ReplyLine CmdData
 *     EndReplyLine   = StatusCode SP ReplyLine
 *     ReplyLine      = [ReplyText] CRLF
 *     StatusCode     = 3DIGIT
 *     CmdData        = *DataLine "." CRLF      ; a data line starting with "." has one more "." prepended
 *
 * Replies whose first status code is 6xx are asynchronous events (section 4.1); they arrive between the
 * synchronous replies, which come in the order the commands were sent. Only complete lines are parsed; every
 * buffer is capped and a cap overflow throws {@link TorReplyTooLargeError} carrying the limit. After any error
 * the parser is unusable (the connection must be closed).
 *
 * @module
 */
import { TorProtocolError, TorReplyTooLargeError } from './errors.js';

/** One line of a reply. */
export interface ReplyLine {
  /** The three-digit status code of this line. */
  readonly status: number;
  /** `-` mid line, `+` line followed by a data block, ` ` end line. */
  readonly separator: '-' | '+' | ' ';
  /** The text after the separator (decoded as UTF-8). */
  readonly text: string;
  /** For `+` lines: the data block, dot-unescaped, lines joined with `\n`, no trailing newline. */
  readonly data?: string;
}

/** A complete reply: a synchronous answer to a command, or an asynchronous event. */
export interface ControlReply {
  /** The status code of the end line (250 for success, 4xx/5xx errors, 650 events). */
  readonly status: number;
  /** True for asynchronous events (status 6xx). */
  readonly isEvent: boolean;
  /** Every line, the end line last. */
  readonly lines: readonly ReplyLine[];
}

/** Caps on what one reply may hold. */
export interface ReplyParserLimits {
  /** Longest line in bytes, CRLF included (default 64 KiB). */
  maxLineBytes?: number;
  /** Largest data block in bytes (default 16 MiB). */
  maxDataBytes?: number;
  /** Most lines in one reply, data lines included (default 200 000). */
  maxLinesPerReply?: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** Incremental parser of the control protocol's reply stream. */
export class ReplyParser {
  private readonly maxLineBytes: number;
  private readonly maxDataBytes: number;
  private readonly maxLinesPerReply: number;
  /** Bytes of the current incomplete line, as received chunks. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Lines of the reply being assembled. */
  private lines: ReplyLine[] = [];
  private lineCount = 0;
  /** The `+` line whose data block is being read, with the block's lines so far. */
  private dataHeader: { status: number; text: string } | undefined;
  private dataLines: string[] = [];
  private dataBytes = 0;
  private failed: Error | undefined;

  constructor(limits: ReplyParserLimits = {}) {
    this.maxLineBytes = positive(limits.maxLineBytes ?? 64 * 1024, 'maxLineBytes');
    this.maxDataBytes = positive(limits.maxDataBytes ?? 16 * 1024 * 1024, 'maxDataBytes');
    this.maxLinesPerReply = positive(limits.maxLinesPerReply ?? 200_000, 'maxLinesPerReply');
  }

  /** True when no partial line or reply is buffered (a clean place for the stream to end). */
  get idle(): boolean {
    return this.pendingBytes === 0 && this.lines.length === 0 && this.dataHeader === undefined;
  }

  /** Feeds received bytes; returns the replies they complete, in order. Throws on malformed input or a cap. */
  push(chunk: Uint8Array): ControlReply[] {
    if (this.failed) throw this.failed;
    try {
      return this.consume(chunk);
    } catch (error) {
      this.failed = error instanceof Error ? error : new TorProtocolError(String(error));
      throw this.failed;
    }
  }

  private consume(chunk: Uint8Array): ControlReply[] {
    const replies: ControlReply[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf + 1;
      const piece = chunk.subarray(start, end);
      if (this.pendingBytes + piece.length > this.maxLineBytes) {
        throw new TorReplyTooLargeError('line', this.maxLineBytes);
      }
      // a partial line outlives this call: copy it in case the caller reuses its buffer
      this.pending.push(lf === -1 ? piece.slice() : piece);
      this.pendingBytes += piece.length;
      start = end;
      if (lf === -1) break;
      const line = joinLine(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      const reply = this.onLine(line);
      if (reply) replies.push(reply);
    }
    return replies;
  }

  /** Handles one complete line (terminator stripped); returns a reply when the line ends one. */
  private onLine(line: string): ControlReply | undefined {
    if (++this.lineCount > this.maxLinesPerReply)
      throw new TorReplyTooLargeError('lines', this.maxLinesPerReply);
    if (this.dataHeader) {
      if (line === '.') {
        this.lines.push({ ...this.dataHeader, separator: '+', data: this.dataLines.join('\n') });
        this.dataHeader = undefined;
        this.dataLines = [];
        this.dataBytes = 0;
        return undefined;
      }
      const unescaped = line.startsWith('.') ? line.slice(1) : line;
      // size of the joined block: the line plus the `\n` that will separate it from the previous one
      this.dataBytes += Buffer.byteLength(unescaped) + (this.dataLines.length > 0 ? 1 : 0);
      if (this.dataBytes > this.maxDataBytes) throw new TorReplyTooLargeError('data', this.maxDataBytes);
      this.dataLines.push(unescaped);
      return undefined;
    }
    const match = /^([0-9]{3})([- +])/.exec(line);
    if (!match)
      throw new TorProtocolError(`malformed control reply line ${JSON.stringify(line.slice(0, 200))}`);
    const status = Number(match[1]);
    const separator = match[2] as ReplyLine['separator'];
    const text = line.slice(4);
    if (separator === '+') {
      this.dataHeader = { status, text };
      return undefined;
    }
    this.lines.push({ status, separator, text });
    if (separator === '-') return undefined;
    const lines = this.lines;
    this.lines = [];
    this.lineCount = 0;
    const first = lines[0]!.status;
    return { status, isEvent: first >= 600 && first <= 699, lines };
  }
}

/** Concatenates a line's chunks and strips the CRLF (or LF); decodes as UTF-8. */
function joinLine(chunks: Uint8Array[], total: number): string {
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  let end = bytes.length - 1; // drop LF
  if (end > 0 && bytes[end - 1] === CR) end--;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8');
}

function positive(value: number, label: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${label} must be a positive integer, got ${value}`);
  return value;
}

/** The first word of an event's first line, e.g. `STATUS_CLIENT` or `HS_DESC`. */
export function eventName(reply: ControlReply): string {
  const text = reply.lines[0]?.text ?? '';
  const space = text.indexOf(' ');
  return space === -1 ? text : text.slice(0, space);
}
