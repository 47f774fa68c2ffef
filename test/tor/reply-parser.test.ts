import { expect } from 'chai';
import { TorProtocolError, TorReplyTooLargeError } from '../../src/tor/errors.js';
import {
  type ControlReply,
  eventName,
  ReplyParser,
  type ReplyParserLimits,
} from '../../src/tor/reply-parser.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Feeds `input` split into two pieces at every byte boundary (and byte by byte); all must give `expected`. */
function parseAtEverySplit(input: string, limits: ReplyParserLimits = {}): ControlReply[] {
  const bytes = enc(input);
  const whole = new ReplyParser(limits).push(bytes);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const parser = new ReplyParser(limits);
    const got = [...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut))];
    expect(got, `split at ${cut}`).to.deep.equal(whole);
    expect(parser.idle).to.equal(true);
  }
  const parser = new ReplyParser(limits);
  const byByte: ControlReply[] = [];
  for (let i = 0; i < bytes.length; i++) byByte.push(...parser.push(bytes.subarray(i, i + 1)));
  expect(byByte).to.deep.equal(whole);
  return whole;
}

describe('tor/ReplyParser', () => {
  it('parses a one-line reply', () => {
    expect(parseAtEverySplit('250 OK\r\n')).to.deep.equal([
      { status: 250, isEvent: false, lines: [{ status: 250, separator: ' ', text: 'OK' }] },
    ]);
  });

  it('parses the PROTOCOLINFO reply with mid lines', () => {
    const replies = parseAtEverySplit(
      '250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/tmp/a b/control_auth_cookie"\r\n' +
        '250-VERSION Tor="0.4.9.11"\r\n250 OK\r\n',
    );
    expect(replies).to.have.length(1);
    expect(replies[0]!.lines.map((l) => l.text)).to.deep.equal([
      'PROTOCOLINFO 1',
      'AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/tmp/a b/control_auth_cookie"',
      'VERSION Tor="0.4.9.11"',
      'OK',
    ]);
  });

  it('dot-unescapes data blocks and keeps empty data lines', () => {
    const replies = parseAtEverySplit(
      '250+config-text=\r\nControlPort 9051\r\n..hidden\r\n\r\n...\r\n.\r\n250 OK\r\n',
    );
    expect(replies[0]!.lines[0]).to.deep.equal({
      status: 250,
      separator: '+',
      text: 'config-text=',
      data: 'ControlPort 9051\n.hidden\n\n..',
    });
    expect(replies[0]!.lines[1]!.text).to.equal('OK');
  });

  it('parses an empty data block', () => {
    const replies = parseAtEverySplit('250+x=\r\n.\r\n250 OK\r\n');
    expect(replies[0]!.lines[0]!.data).to.equal('');
  });

  it('separates events interleaved between replies, including multi-line events', () => {
    const replies = parseAtEverySplit(
      '650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting to a relay"\r\n' +
        '250-version=0.4.9.11\r\n250 OK\r\n' +
        '650-CONF_CHANGED\r\n650-SocksPort=9050\r\n650 OK\r\n' +
        '650+ADDRMAP_DATA\r\nline\r\n.\r\n650 OK\r\n' +
        '552 Unrecognized key "foo"\r\n',
    );
    expect(replies.map((r) => [r.status, r.isEvent, r.lines.length])).to.deep.equal([
      [650, true, 1],
      [250, false, 2],
      [650, true, 3],
      [650, true, 2],
      [552, false, 1],
    ]);
    expect(eventName(replies[0]!)).to.equal('STATUS_CLIENT');
    expect(eventName(replies[2]!)).to.equal('CONF_CHANGED');
  });

  it('tolerates bare LF line ends and decodes UTF-8 split across chunks', () => {
    const replies = parseAtEverySplit('250-name=Bj\u00f6rk \u2603\n250 OK\n');
    expect(replies[0]!.lines[0]!.text).to.equal('name=Bj\u00f6rk \u2603');
  });

  it('keeps a partial line buffered until its terminator arrives', () => {
    const parser = new ReplyParser();
    expect(parser.push(enc('250 O'))).to.deep.equal([]);
    expect(parser.idle).to.equal(false);
    expect(parser.push(enc('K\r'))).to.deep.equal([]);
    expect(parser.push(enc('\n'))).to.have.length(1);
    expect(parser.idle).to.equal(true);
  });

  it('copies partial input so callers may reuse their buffers', () => {
    const parser = new ReplyParser();
    const buffer = enc('250 OK');
    parser.push(buffer);
    buffer.fill(0x21);
    expect(parser.push(enc('\r\n'))[0]!.lines[0]!.text).to.equal('OK');
  });

  for (const bad of ['25 OK\r\n', '250OK\r\n', 'abc OK\r\n', '\r\n', '250\r\n']) {
    it(`rejects the malformed line ${JSON.stringify(bad)} and stays failed`, () => {
      const parser = new ReplyParser();
      expect(() => parser.push(enc(bad))).to.throw(TorProtocolError);
      expect(() => parser.push(enc('250 OK\r\n'))).to.throw(TorProtocolError);
    });
  }

  it('caps the line length, even before the line ends', () => {
    const parser = new ReplyParser({ maxLineBytes: 16 });
    expect(parser.push(enc('250 0123456789\r\n'))).to.have.length(1); // exactly 16 bytes
    let error: unknown;
    try {
      for (let i = 0; i < 100; i++) parser.push(enc('x'));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TorReplyTooLargeError);
    expect(error).to.include({ what: 'line', limit: 16, code: 'ERR_TOR_REPLY_TOO_LARGE' });
  });

  it('caps the data block size', () => {
    const parser = new ReplyParser({ maxDataBytes: 10 });
    expect(parser.push(enc('250+a=\r\n0123456789\r\n.\r\n250 OK\r\n'))).to.have.length(1);
    expect(() => parser.push(enc('250+a=\r\n01234\r\n56789\r\n.\r\n250 OK\r\n')))
      .to.throw(TorReplyTooLargeError)
      .with.property('limit', 10);
  });

  it('caps the lines per reply, counting data lines', () => {
    const parser = new ReplyParser({ maxLinesPerReply: 3 });
    expect(parser.push(enc('250-a\r\n250-b\r\n250 OK\r\n'))).to.have.length(1);
    expect(() => parser.push(enc('250+a\r\nx\r\ny\r\n.\r\n250 OK\r\n')))
      .to.throw(TorReplyTooLargeError)
      .with.property('what', 'lines');
  });

  it('rejects limits that are not positive integers', () => {
    expect(() => new ReplyParser({ maxLineBytes: 0 })).to.throw(RangeError, /maxLineBytes/);
  });
});
