import { expect } from 'chai';
import { SamLineTooLongError } from '../../src/i2p/errors.js';
import { SamLineBuffer } from '../../src/i2p/sam-line-buffer.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Feeds `input` in pieces cut at `cuts`, collecting every complete line, then returns lines and the rest. */
function feed(input: string, cuts: number[], limit?: number): { lines: string[]; rest: string } {
  const bytes = encoder.encode(input);
  const buffer = new SamLineBuffer(limit);
  const lines: string[] = [];
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    buffer.push(bytes.subarray(start, end));
    start = end;
    for (let line = buffer.takeLine(); line !== undefined; line = buffer.takeLine()) lines.push(line);
  }
  return { lines, rest: decoder.decode(buffer.takeRest()) };
}

describe('i2p/SamLineBuffer', () => {
  const destination = `${'A-~z'.repeat(129)}AAA=`;
  const input =
    'HELLO REPLY RESULT=OK VERSION=3.1\n' +
    `NAMING REPLY RESULT=OK NAME=ME VALUE=${destination}\r\n` +
    'STREAM STATUS RESULT=OK\n' +
    'payload bytes, no newline';
  const expected = [
    'HELLO REPLY RESULT=OK VERSION=3.1',
    `NAMING REPLY RESULT=OK NAME=ME VALUE=${destination}`,
    'STREAM STATUS RESULT=OK',
  ];

  it('yields the same lines and rest when the input is split at every byte boundary', () => {
    for (let cut = 0; cut <= input.length; cut++) {
      const { lines, rest } = feed(input, [cut]);
      expect(lines, `split at ${cut}`).to.deep.equal(expected);
      expect(rest, `split at ${cut}`).to.equal('payload bytes, no newline');
    }
  });

  it('yields the same lines when every byte arrives alone', () => {
    const cuts = Array.from({ length: input.length }, (_, i) => i);
    expect(feed(input, cuts).lines).to.deep.equal(expected);
  });

  it('hands out one line at a time when one chunk holds several', () => {
    const buffer = new SamLineBuffer();
    buffer.push(encoder.encode('A B\nC D\n\xff'));
    expect(buffer.takeLine()).to.equal('A B');
    expect(buffer.length).to.equal(6); // "C D\n" and the two UTF-8 bytes of U+00FF
    expect(buffer.takeLine()).to.equal('C D');
    expect(buffer.takeLine()).to.equal(undefined);
    expect(buffer.takeRest()).to.have.length(2);
    expect(buffer.length).to.equal(0);
  });

  it('keeps binary payload after a line byte for byte', () => {
    const buffer = new SamLineBuffer();
    const payload = Uint8Array.from([0, 255, 10, 13, 128]);
    buffer.push(Uint8Array.from([...encoder.encode('STREAM STATUS RESULT=OK\n'), ...payload]));
    expect(buffer.takeLine()).to.equal('STREAM STATUS RESULT=OK');
    expect([...buffer.takeRest()]).to.deep.equal([...payload]);
  });

  it('throws SamLineTooLongError with the limit once a partial line passes the cap', () => {
    const buffer = new SamLineBuffer(64);
    buffer.push(encoder.encode('x'.repeat(64)));
    try {
      buffer.push(encoder.encode('y'));
      expect.fail('no error');
    } catch (error) {
      expect(error).to.be.instanceOf(SamLineTooLongError);
      expect((error as SamLineTooLongError).limit).to.equal(64);
      expect((error as SamLineTooLongError).code).to.equal('ERR_SAM_LINE_TOO_LONG');
    }
  });

  it('throws for a complete line longer than the cap that arrived in one chunk', () => {
    const buffer = new SamLineBuffer(8);
    buffer.push(encoder.encode('123456789\nok\n'));
    expect(() => buffer.takeLine()).to.throw(SamLineTooLongError);
  });

  it('accepts a line exactly at the cap and payload beyond it', () => {
    const buffer = new SamLineBuffer(8);
    buffer.push(encoder.encode(`12345678\n${'z'.repeat(100)}`));
    expect(buffer.takeLine()).to.equal('12345678');
  });

  it('rejects a non-positive cap', () => {
    expect(() => new SamLineBuffer(0)).to.throw(RangeError, /maxLineBytes/);
  });
});
