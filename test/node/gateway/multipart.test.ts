import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { BadRequestError } from '../../../src/node/gateway/errors.js';
import { boundaryOf, type MultipartEvent, parseMultipart } from '../../../src/node/gateway/multipart.js';

async function* pieces(data: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts, data.length]) {
    yield data.subarray(from, cut);
    from = cut;
  }
}

interface Part {
  name: string;
  filename: string | undefined;
  data: Buffer;
}

async function collect(events: AsyncIterable<MultipartEvent>): Promise<Part[]> {
  const parts: Part[] = [];
  let chunks: Buffer[] = [];
  for await (const e of events) {
    if (e.type === 'part') {
      parts.push({ name: e.name, filename: e.filename, data: Buffer.alloc(0) });
      chunks = [];
    } else if (e.type === 'data') chunks.push(Buffer.from(e.chunk));
    else parts[parts.length - 1]!.data = Buffer.concat(chunks);
  }
  return parts;
}

const boundary = '----lafsBoundary7MA4YWxk';
function form(file: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(
      `preamble to ignore\r\n--${boundary}\r\nContent-Disposition: form-data; name="t"\r\n\r\nupload`,
    ),
    Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a \\"b\\".bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
  ]);
}

describe('gateway multipart/form-data parser', () => {
  it('reads the boundary from the Content-Type, quoted or not', () => {
    expect(boundaryOf(`multipart/form-data; boundary=${boundary}`)).to.equal(boundary);
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).to.equal('a b');
    expect(() => boundaryOf('application/json')).to.throw(BadRequestError, /multipart\/form-data/);
    expect(() => boundaryOf('multipart/form-data')).to.throw(BadRequestError, /no valid boundary/);
  });

  it('gives the same parts however the body is split (every byte boundary)', async () => {
    // The file holds near-delimiters to catch partial-match mistakes.
    const file = Buffer.concat([Buffer.from(`x\r\n--${boundary.slice(0, 10)}y\r\n-`), randomBytes(20)]);
    const body = form(file);
    for (let cut = 0; cut <= body.length; cut++) {
      const parts = await collect(parseMultipart(pieces(body, [cut]), boundary));
      expect(parts.map((p) => p.name)).to.deep.equal(['t', 'file']);
      expect(parts[0]!.data.toString()).to.equal('upload');
      expect(parts[1]!.filename).to.equal('a "b".bin');
      expect(parts[1]!.data.equals(file), `cut at ${cut}`).to.equal(true);
    }
  });

  it('survives one-byte chunks', async () => {
    const file = randomBytes(500);
    const body = form(file);
    const cuts = Array.from({ length: body.length - 1 }, (_, i) => i + 1);
    const parts = await collect(parseMultipart(pieces(body, cuts), boundary));
    expect(parts[1]!.data.equals(file)).to.equal(true);
  });

  it('passes a large part through without holding it', async () => {
    const boundaryBytes = `--${boundary}`.length + 2;
    const chunk = randomBytes(64 * 1024);
    async function* big(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`);
      for (let i = 0; i < 200; i++) yield chunk;
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    let total = 0;
    let largest = 0;
    for await (const e of parseMultipart(big(), boundary)) {
      if (e.type === 'data') {
        total += e.chunk.length;
        largest = Math.max(largest, e.chunk.length);
      }
    }
    expect(total).to.equal(200 * chunk.length);
    expect(largest).to.be.at.most(chunk.length + boundaryBytes);
  });

  it('rejects a body without its closing boundary', async () => {
    const body = form(Buffer.from('data')).subarray(0, -20);
    let error: unknown;
    try {
      await collect(parseMultipart(pieces(body, []), boundary));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(BadRequestError);
    expect((error as Error).message).to.contain('ended before its closing boundary');
  });

  it('caps part headers and the number of parts', async () => {
    const huge = Buffer.from(`--${boundary}\r\nX-Junk: ${'a'.repeat(40_000)}\r\n\r\n`);
    let error: unknown;
    try {
      await collect(parseMultipart(pieces(huge, [1000, 20_000]), boundary));
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.match(/part 1: headers exceed 16384 bytes/);
    const many = Buffer.from(
      `${`--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n`.repeat(5)}--${boundary}--`,
    );
    error = undefined;
    try {
      await collect(parseMultipart(pieces(many, []), boundary, { maxParts: 3 }));
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.contain('more than 3 parts');
  });

  it('rejects a part without a form-data name', async () => {
    const body = Buffer.from(`--${boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${boundary}--`);
    let error: unknown;
    try {
      await collect(parseMultipart(pieces(body, []), boundary));
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.contain('part 1 has no "Content-Disposition: form-data; name=..."');
  });
});
