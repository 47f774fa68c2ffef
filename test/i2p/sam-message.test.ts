import { expect } from 'chai';
import { SamProtocolError } from '../../src/i2p/errors.js';
import { formatSamCommand, parseSamLine } from '../../src/i2p/sam-message.js';

describe('i2p/sam-message', () => {
  describe('parseSamLine', () => {
    it('reads verb, action and KEY=value pairs', () => {
      const message = parseSamLine('HELLO REPLY RESULT=OK VERSION=3.1');
      expect(message.verb).to.equal('HELLO');
      expect(message.action).to.equal('REPLY');
      expect([...message.params]).to.deep.equal([
        ['RESULT', 'OK'],
        ['VERSION', '3.1'],
      ]);
    });

    it('splits each pair on its first "=" only (base64 padding survives)', () => {
      const message = parseSamLine('DEST REPLY PUB=abc~-== PRIV=x=y==');
      expect(message.params.get('PUB')).to.equal('abc~-==');
      expect(message.params.get('PRIV')).to.equal('x=y==');
    });

    it('reads quoted values with escaped quotes and backslashes, and empty values', () => {
      const message = parseSamLine(
        'SESSION STATUS RESULT=I2P_ERROR MESSAGE="bad \\"key\\" in C:\\\\x" EMPTY= Q=""',
      );
      expect(message.params.get('MESSAGE')).to.equal('bad "key" in C:\\x');
      expect(message.params.get('EMPTY')).to.equal('');
      expect(message.params.get('Q')).to.equal('');
    });

    it('maps a bare key to the empty string and tolerates extra spaces', () => {
      const message = parseSamLine('  STREAM  STATUS   RESULT=OK  SILENT  ');
      expect(message.action).to.equal('STATUS');
      expect(message.params.get('SILENT')).to.equal('');
      expect(message.params.get('RESULT')).to.equal('OK');
    });

    it('has an empty action when the second word is a pair', () => {
      const message = parseSamLine('FOO A=1');
      expect(message.action).to.equal('');
      expect(message.params.get('A')).to.equal('1');
    });

    it('keeps the free text of PING and PONG', () => {
      expect(parseSamLine('PING 12 34').text).to.equal('12 34');
      expect(parseSamLine('PONG').text).to.equal('');
    });

    for (const [line, pattern] of [
      ['', /empty line/],
      ['   ', /empty line/],
      ['HELLO REPLY MESSAGE="unterminated', /unterminated quoted value for MESSAGE/],
      ['HELLO REPLY A="x"y', /after the closing quote of A/],
      ['HELLO REPLY =x', /expected a key/],
      ['HEL"LO REPLY', /bad verb/],
    ] as const) {
      it(`rejects ${JSON.stringify(line)} with a column`, () => {
        expect(() => parseSamLine(line))
          .to.throw(SamProtocolError, pattern)
          .with.property('code', 'ERR_SAM_PROTOCOL');
        expect(() => parseSamLine(line)).to.throw(/column \d+/);
      });
    }
  });

  describe('formatSamCommand', () => {
    it('writes bare values, skips undefined and ends with a newline', () => {
      expect(
        formatSamCommand('SESSION', 'CREATE', {
          STYLE: 'STREAM',
          ID: 'a1',
          'inbound.length': 0,
          SILENT: false,
          SKIP: undefined,
        }),
      ).to.equal('SESSION CREATE STYLE=STREAM ID=a1 inbound.length=0 SILENT=false\n');
    });

    it('keeps the order of an entries list and base64 "=" padding unquoted', () => {
      expect(formatSamCommand('NAMING', 'LOOKUP', [['NAME', 'ab~-=='] as const])).to.equal(
        'NAMING LOOKUP NAME=ab~-==\n',
      );
    });

    it('quotes and escapes values with spaces, quotes, backslashes or nothing', () => {
      expect(formatSamCommand('X', 'Y', { A: 'two words', B: 'say "hi"', C: 'a\\b', D: '' })).to.equal(
        'X Y A="two words" B="say \\"hi\\"" C="a\\\\b" D=""\n',
      );
    });

    it('round-trips through parseSamLine', () => {
      const values = { A: 'two words', B: 'say "hi" \\ ok', C: 'x==', D: '' };
      const parsed = parseSamLine(formatSamCommand('X', 'Y', values).trimEnd());
      expect(Object.fromEntries(parsed.params)).to.deep.equal(values);
    });

    it('refuses values that would inject another command', () => {
      expect(() => formatSamCommand('NAMING', 'LOOKUP', { NAME: 'x\nSESSION CREATE' })).to.throw(
        RangeError,
        /NAME must not contain CR, LF or NUL/,
      );
      expect(() => formatSamCommand('NAMING', 'LOOKUP', { NAME: 'x\r' })).to.throw(RangeError);
      expect(() => formatSamCommand('NAMING', 'LOOKUP', { NAME: 'x\0' })).to.throw(RangeError);
    });

    it('refuses keys and words that are not plain', () => {
      expect(() => formatSamCommand('X', 'Y', { 'A B': 1 })).to.throw(RangeError, /parameter name/);
      expect(() => formatSamCommand('X', 'Y', { 'A=B': 1 })).to.throw(RangeError, /parameter name/);
      expect(() => formatSamCommand('X Y', 'Z')).to.throw(RangeError, /verb/);
      expect(() => formatSamCommand('X', 'Y\n')).to.throw(RangeError, /action/);
    });
  });
});
