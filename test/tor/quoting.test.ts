import { expect } from 'chai';
import { TorProtocolError } from '../../src/tor/errors.js';
import { assertBareArgument, parseArguments, quoteString, readQuoted } from '../../src/tor/quoting.js';

describe('tor/quoting', () => {
  it('quotes backslashes and double quotes', () => {
    expect(quoteString('pa"ss\\word x')).to.equal('"pa\\"ss\\\\word x"');
  });

  it('refuses CR, LF and NUL in quoted values, naming the value', () => {
    for (const bad of ['a\r', 'a\nb', 'a\0']) {
      expect(() => quoteString(bad, 'password')).to.throw(RangeError, /password/);
    }
  });

  it('round-trips quoted values through readQuoted', () => {
    for (const value of ['', 'plain', 'sp ace', 'q"uote', 'back\\slash', '\u00e9t\u00e9 \u2603']) {
      const quoted = quoteString(value);
      expect(readQuoted(`x${quoted}y`, 1)).to.deep.equal({ value, end: quoted.length + 1 });
    }
  });

  it('reads C escapes in Tor output (control-spec 2.1.1)', () => {
    expect(readQuoted('"a\\nb\\tc\\r\\101\\0\\303\\251\\q"', 0).value).to.equal('a\nb\tc\rA\0\u00e9q');
  });

  it('rejects unterminated quoted strings', () => {
    expect(() => readQuoted('"abc', 0)).to.throw(TorProtocolError);
    expect(() => readQuoted('"abc\\', 0)).to.throw(TorProtocolError);
  });

  it('splits positional words and KEY=value pairs', () => {
    const parsed = parseArguments(
      'AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/var/lib/tor/control auth \\"cookie\\"" EMPTY= "quoted word"',
    );
    expect(parsed.positional).to.deep.equal(['AUTH', 'quoted word']);
    expect([...parsed.keyed]).to.deep.equal([
      ['METHODS', 'COOKIE,SAFECOOKIE'],
      ['COOKIEFILE', '/var/lib/tor/control auth "cookie"'],
      ['EMPTY', ''],
    ]);
  });

  it('accepts bare arguments and rejects spaces, quotes and control characters', () => {
    expect(assertBareArgument('NEWNYM', 'signal')).to.equal('NEWNYM');
    for (const bad of ['', 'a b', 'a"b', 'a\tb', 'caf\u00e9']) {
      expect(() => assertBareArgument(bad, 'signal')).to.throw(RangeError, /signal/);
    }
  });
});
