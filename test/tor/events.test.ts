import { expect } from 'chai';
import { bootstrapFromEvent, parseBootstrapStatus, parseHsDescEvent } from '../../src/tor/events.js';
import { ReplyParser } from '../../src/tor/reply-parser.js';

const event = (line: string) => new ReplyParser().push(new TextEncoder().encode(`${line}\r\n`))[0]!;

describe('tor/events', () => {
  it('parses bootstrap progress events as Tor 0.4.9 sends them', () => {
    expect(
      bootstrapFromEvent(
        event('650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting to a relay"'),
      ),
    ).to.deep.equal({ progress: 5, tag: 'conn', summary: 'Connecting to a relay', severity: 'NOTICE' });
    expect(
      bootstrapFromEvent(event('650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"')),
    ).to.include({ progress: 100, tag: 'done' });
  });

  it('keeps the warning fields of a bootstrap problem and tolerates unknown ones', () => {
    const status = bootstrapFromEvent(
      event(
        '650 STATUS_CLIENT WARN BOOTSTRAP PROGRESS=14 TAG=handshake SUMMARY="Handshaking with a relay" ' +
          'WARNING="Connection refused" REASON=CONNECTREFUSED COUNT=3 RECOMMENDATION=ignore HOST=$AB HOSTADDR="127.0.0.1:5000" NEWTHING=x',
      ),
    );
    expect(status).to.deep.equal({
      progress: 14,
      tag: 'handshake',
      summary: 'Handshaking with a relay',
      severity: 'WARN',
      warning: 'Connection refused',
      reason: 'CONNECTREFUSED',
    });
  });

  it('parses GETINFO status/bootstrap-phase values and ignores other status actions', () => {
    expect(parseBootstrapStatus('NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY="Starting"')).to.include({
      progress: 0,
      tag: 'starting',
    });
    expect(bootstrapFromEvent(event('650 STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED'))).to.equal(undefined);
    expect(bootstrapFromEvent(event('650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=abc TAG=x'))).to.equal(
      undefined,
    );
    expect(bootstrapFromEvent(event('650 HS_DESC CREATED x NO_AUTH UNKNOWN'))).to.equal(undefined);
  });

  it('parses HS_DESC service and client events', () => {
    const id = 'pwiyunat2kqjszj3zujtx5evq32vn3iyrs3wy7lq4gnumtkxddna62id';
    expect(
      parseHsDescEvent(
        event(
          `650 HS_DESC UPLOADED ${id} UNKNOWN $0F8B47A3DA0C69B33E6A6E9F9D4E9C0C9B0F1A2B~r1 HSDIR_INDEX=ABCD`,
        ),
      ),
    ).to.deep.equal({
      action: 'UPLOADED',
      address: id,
      authType: 'UNKNOWN',
      hsDir: '$0F8B47A3DA0C69B33E6A6E9F9D4E9C0C9B0F1A2B~r1',
      hsDirIndex: 'ABCD',
    });
    expect(
      parseHsDescEvent(event(`650 HS_DESC FAILED ${id} NO_AUTH $AA~a1 bLiNdEd REASON=NOT_FOUND`)),
    ).to.include({ action: 'FAILED', descriptorId: 'bLiNdEd', reason: 'NOT_FOUND' });
    expect(parseHsDescEvent(event('650 HS_DESC CREATED'))).to.equal(undefined);
  });
});
