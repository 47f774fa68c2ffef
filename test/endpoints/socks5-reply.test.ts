import { expect } from 'chai';
import { SocksProtocolError } from '../../src/endpoints/errors.js';
import { Socks5ReplyReader, socksReplyError } from '../../src/endpoints/socks5-reply.js';

/** Feeds `bytes` split at every possible boundary pair and returns each reader's final state. */
function readAllSplits(bytes: number[]): Socks5ReplyReader[] {
  const readers: Socks5ReplyReader[] = [];
  for (let i = 0; i <= bytes.length; i++) {
    for (let j = i; j <= bytes.length; j++) {
      const reader = new Socks5ReplyReader();
      reader.feed(Uint8Array.from(bytes.slice(0, i)));
      reader.feed(Uint8Array.from(bytes.slice(i, j)));
      reader.feed(Uint8Array.from(bytes.slice(j)));
      readers.push(reader);
    }
  }
  return readers;
}

describe('endpoints: SOCKS5 reply reader (sans-IO)', () => {
  it('reads the REP byte after no-auth, split at every byte boundary', () => {
    for (const reader of readAllSplits([5, 0, 5, 0xf0, 0, 1, 0, 0, 0, 0, 0, 0])) {
      expect(reader.state).to.deep.equal({ phase: 'done', method: 0, reply: 0xf0 });
    }
  });

  it('reads the REP byte after username/password authentication', () => {
    for (const reader of readAllSplits([5, 2, 1, 0, 5, 4, 0, 3, 1, 0x41, 0, 80])) {
      expect(reader.reply).to.equal(4);
    }
  });

  it('ignores everything after the REP byte (the application stream)', () => {
    const reader = new Socks5ReplyReader();
    reader.feed(Uint8Array.from([5, 0, 5, 0, 0, 1, 127, 0, 0, 1, 0, 80, 9, 9, 9]));
    reader.feed(new Uint8Array(100_000));
    expect(reader.reply).to.equal(0);
  });

  it('reports refused authentication, no acceptable method and wrong versions', () => {
    const cases: [number[], RegExp][] = [
      [[5, 0xff], /none of our authentication methods/],
      [[5, 2, 1, 1], /refused the username\/password \(status 1\)/],
      [[4, 0], /version 4, not 5/],
      [[5, 2, 5, 0], /authentication with version 5, not 1/],
      [[5, 0, 4, 0], /replied with version 4/],
    ];
    for (const [bytes, pattern] of cases) {
      for (const reader of readAllSplits(bytes)) {
        const state = reader.state;
        expect(state.phase).to.equal('failed');
        if (state.phase === 'failed') {
          expect(state.error).to.be.instanceOf(SocksProtocolError);
          expect(state.error.message).to.match(pattern);
        }
      }
    }
  });

  it('waits for more bytes before deciding', () => {
    const reader = new Socks5ReplyReader();
    reader.feed(Uint8Array.of(5));
    expect(reader.state).to.deep.equal({ phase: 'method' });
    reader.feed(Uint8Array.of(2, 1));
    expect(reader.state).to.deep.equal({ phase: 'auth', method: 2 });
    expect(reader.reply).to.equal(undefined);
  });

  it('socksReplyError chains the cause and picks the error kind', () => {
    const cause = new Error('Socks5 proxy rejected connection - undefined');
    const error = socksReplyError(0xf4, 'tor:x.onion:1', cause);
    expect(error.cause).to.equal(cause);
    expect(error.kind).to.equal('config');
    expect(socksReplyError(5, 'tor:x:1').kind).to.equal('network');
  });
});
