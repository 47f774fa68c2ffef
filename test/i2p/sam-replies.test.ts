import { expect } from 'chai';
import {
  SamAlreadyAcceptingError,
  SamCantReachPeerError,
  SamDuplicatedDestError,
  SamDuplicatedIdError,
  type SamError,
  SamI2pError,
  SamInvalidIdError,
  SamInvalidKeyError,
  SamNoVersionError,
  SamProtocolError,
  SamTimeoutError,
} from '../../src/i2p/errors.js';
import { expectOk, parsePeerLine, parseSamReply } from '../../src/i2p/sam-replies.js';

const destination = `${'A-~z'.repeat(129)}AAA=`;

describe('i2p/sam-replies', () => {
  it('types the replies i2pd 2.45 sends', () => {
    expect(parseSamReply('HELLO REPLY RESULT=OK VERSION=3.1')).to.deep.equal({
      kind: 'hello',
      result: 'OK',
      version: '3.1',
      message: undefined,
    });
    expect(parseSamReply(`SESSION STATUS RESULT=OK DESTINATION=${destination}`)).to.include({
      kind: 'session-status',
      destination,
    });
    expect(parseSamReply(`NAMING REPLY RESULT=OK NAME=ME VALUE=${destination}`)).to.include({
      kind: 'naming-reply',
      name: 'ME',
      value: destination,
    });
    expect(parseSamReply('DEST REPLY PUB=ab== PRIV=cd==')).to.deep.equal({
      kind: 'dest-reply',
      pub: 'ab==',
      priv: 'cd==',
    });
    expect(parseSamReply('STREAM STATUS RESULT=CANT_REACH_PEER MESSAGE="no lease"')).to.deep.equal({
      kind: 'stream-status',
      result: 'CANT_REACH_PEER',
      message: 'no lease',
    });
    expect(parseSamReply('PING 42')).to.deep.equal({ kind: 'ping', text: '42' });
  });

  it('rejects unknown replies and a DEST REPLY without keys', () => {
    expect(() => parseSamReply('DATAGRAM RECEIVED SIZE=3')).to.throw(
      SamProtocolError,
      /unexpected SAM reply/,
    );
    expect(() => parseSamReply('DEST REPLY PUB=ab==')).to.throw(SamProtocolError, /PUB and PRIV/);
  });

  describe('expectOk', () => {
    const cases: [string, new (...args: never[]) => SamError, string][] = [
      ['CANT_REACH_PEER', SamCantReachPeerError, 'ERR_SAM_CANT_REACH_PEER'],
      ['PEER_NOT_FOUND', SamCantReachPeerError, 'ERR_SAM_CANT_REACH_PEER'],
      ['INVALID_KEY', SamInvalidKeyError, 'ERR_SAM_INVALID_KEY'],
      ['KEY_NOT_FOUND', SamInvalidKeyError, 'ERR_SAM_INVALID_KEY'],
      ['INVALID_ID', SamInvalidIdError, 'ERR_SAM_INVALID_ID'],
      ['DUPLICATED_ID', SamDuplicatedIdError, 'ERR_SAM_DUPLICATED_ID'],
      ['DUPLICATED_DEST', SamDuplicatedDestError, 'ERR_SAM_DUPLICATED_DEST'],
      ['TIMEOUT', SamTimeoutError, 'ERR_SAM_TIMEOUT'],
      ['ALREADY_ACCEPTING', SamAlreadyAcceptingError, 'ERR_SAM_ALREADY_ACCEPTING'],
      ['I2P_ERROR', SamI2pError, 'ERR_SAM_I2P_ERROR'],
      ['SOMETHING_NEW', SamI2pError, 'ERR_SAM_I2P_ERROR'],
    ];
    for (const [result, type, code] of cases) {
      it(`maps RESULT=${result} to ${type.name}`, () => {
        const reply = parseSamReply(`STREAM STATUS RESULT=${result} MESSAGE="why not"`);
        try {
          expectOk(reply, 'stream-status', 'STREAM CONNECT');
          expect.fail('no error');
        } catch (error) {
          expect(error).to.be.instanceOf(type);
          expect(error).to.include({ code, result, samMessage: 'why not' });
          expect((error as Error).message)
            .to.contain('STREAM CONNECT')
            .and.contain(result)
            .and.contain('why not');
        }
      });
    }

    it('maps NOVERSION on HELLO to SamNoVersionError naming the range', () => {
      expect(() => expectOk(parseSamReply('HELLO REPLY RESULT=NOVERSION'), 'hello', 'HELLO'))
        .to.throw(SamNoVersionError, /3\.1 and 3\.3/)
        .with.property('result', 'NOVERSION');
    });

    it('refuses the wrong kind of reply and a missing RESULT', () => {
      expect(() => expectOk(parseSamReply('STREAM STATUS RESULT=OK'), 'hello', 'HELLO')).to.throw(
        SamProtocolError,
        /expected a hello reply, got stream-status/,
      );
      expect(() => expectOk(parseSamReply('STREAM STATUS'), 'stream-status', 'STREAM ACCEPT')).to.throw(
        SamProtocolError,
        /without RESULT/,
      );
    });

    it('returns an OK reply unchanged', () => {
      expect(expectOk(parseSamReply('HELLO REPLY RESULT=OK VERSION=3.1'), 'hello', 'HELLO').version).to.equal(
        '3.1',
      );
    });
  });

  describe('parsePeerLine', () => {
    it('reads a SAM 3.1 peer line (destination only)', () => {
      expect(parsePeerLine(destination)).to.deep.equal({
        destination,
        fromPort: undefined,
        toPort: undefined,
      });
    });

    it('reads SAM 3.2 ports', () => {
      expect(parsePeerLine(`${destination} FROM_PORT=7 TO_PORT=0`)).to.deep.equal({
        destination,
        fromPort: 7,
        toPort: 0,
      });
    });

    it('ignores a FROM_PORT or TO_PORT that is not a port 0-65535 in decimal digits', () => {
      for (const bad of ['65536', '1.5', '80x', '', '-1', '0x50', '1e2']) {
        expect(parsePeerLine(`${destination} FROM_PORT=${bad} TO_PORT=${bad}`), bad).to.deep.equal({
          destination,
          fromPort: undefined,
          toPort: undefined,
        });
      }
      expect(parsePeerLine(`${destination} FROM_PORT=65535 TO_PORT=0 OTHER`)).to.deep.equal({
        destination,
        fromPort: 65535,
        toPort: 0,
      });
    });

    it('rejects a line that is not a destination', () => {
      expect(() => parsePeerLine('STREAM STATUS RESULT=I2P_ERROR')).to.throw(
        SamProtocolError,
        /peer's destination/,
      );
      expect(() => parsePeerLine('abc')).to.throw(SamProtocolError);
    });
  });
});
