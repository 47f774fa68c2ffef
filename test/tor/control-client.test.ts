import { connect } from 'node:net';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { getConf, getInfo, setConf } from '../../src/tor/commands.js';
import { TorControlClient } from '../../src/tor/control-client.js';
import { TorConnectionClosedError, TorControlError } from '../../src/tor/errors.js';
import type { ControlReply } from '../../src/tor/reply-parser.js';
import { type ScriptedControlPort, startScriptedControlPort } from './scripted-control-port.js';

async function clientFor(port: ScriptedControlPort): Promise<TorControlClient> {
  const socket = connect({ host: '127.0.0.1', port: port.port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return new TorControlClient(socket);
}

describe('tor/TorControlClient', () => {
  let port: ScriptedControlPort | undefined;
  afterEach(async () => {
    await port?.close();
    port = undefined;
  });

  it('matches pipelined replies to commands in order, with events in between', async () => {
    const events: ControlReply[] = [];
    port = await startScriptedControlPort((line) => {
      if (line.startsWith('SETEVENTS')) return '250 OK\r\n';
      if (line === 'GETINFO version')
        return '650 STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED\r\n250-version=0.4.9.11\r\n250 OK\r\n';
      if (line === 'GETINFO config-text')
        return '250+config-text=\r\nSocksPort 9050\r\n..x\r\n.\r\n250 OK\r\n';
      return '552 Unrecognized key\r\n';
    });
    const control = await clientFor(port);
    await control.subscribe('STATUS_CLIENT', (e) => events.push(e));
    const [a, b, c] = await Promise.allSettled([
      getInfo(control, ['version']),
      getInfo(control, ['config-text']),
      getInfo(control, ['nope']),
    ]);
    expect(a.status === 'fulfilled' && a.value.get('version')).to.equal('0.4.9.11');
    expect(b.status === 'fulfilled' && b.value.get('config-text')).to.equal('SocksPort 9050\n.x');
    expect(c.status === 'rejected' && c.reason)
      .to.be.instanceOf(TorControlError)
      .and.include({ status: 552, command: 'GETINFO' });
    expect(events.map((e) => e.lines[0]!.text)).to.deep.equal(['STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED']);
    expect(port.received[0]).to.equal('SETEVENTS STATUS_CLIENT');
    await control.close();
  });

  it('keeps SETEVENTS equal to the union of subscriptions', async () => {
    port = await startScriptedControlPort(() => '250 OK\r\n');
    const control = await clientFor(port);
    const s1 = await control.subscribe(['HS_DESC', 'STATUS_CLIENT'], () => {});
    const s2 = await control.subscribe('HS_DESC', () => {});
    await s1.unsubscribe();
    await s2.unsubscribe();
    await s2.unsubscribe(); // idempotent
    expect(port.received).to.deep.equal([
      'SETEVENTS HS_DESC STATUS_CLIENT',
      'SETEVENTS HS_DESC STATUS_CLIENT',
      'SETEVENTS HS_DESC',
      'SETEVENTS',
    ]);
    await control.close();
  });

  it('drops the listener again when Tor refuses the event name', async () => {
    port = await startScriptedControlPort((line) =>
      line.includes('BOGUS') ? '552 Unrecognized event "BOGUS"\r\n' : '250 OK\r\n',
    );
    const control = await clientFor(port);
    const error = await control.subscribe('BOGUS', () => {}).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TorControlError).and.include({ status: 552 });
    await control.subscribe('HS_DESC', () => {});
    expect(port.received[1]).to.equal('SETEVENTS HS_DESC');
    await control.close();
  });

  it('rejects every pending call when the connection dies mid-call, and later calls at once', async () => {
    port = await startScriptedControlPort((line, socket) => {
      if (line === 'GETINFO version') socket.destroy();
      return undefined;
    });
    const control = await clientFor(port);
    const first = control.request('SIGNAL NEWNYM');
    const second = control.request('GETINFO version');
    for (const p of [first, second]) {
      const error = await p.catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TorConnectionClosedError);
    }
    expect((await first.catch((e: Error) => e.message)) as string).to.include('SIGNAL');
    expect(control.isClosed).to.equal(true);
    expect(await control.request('GETINFO version').catch((e: unknown) => e)).to.be.instanceOf(
      TorConnectionClosedError,
    );
    await control.close();
  });

  it('times out a call without losing the order of the following replies', async () => {
    const held: (() => void)[] = [];
    port = await startScriptedControlPort((line, socket) => {
      if (line === 'GETINFO slow') {
        held.push(() => socket.write('250-slow=1\r\n250 OK\r\n'));
        return undefined;
      }
      if (line === 'GETINFO fast') {
        for (const release of held.splice(0)) release();
        return '250-fast=2\r\n250 OK\r\n';
      }
      return '510 Unrecognized command\r\n';
    });
    const control = await clientFor(port);
    const slow = await getInfo(control, ['slow'], { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(slow).to.be.instanceOf(AbortError);
    expect((await getInfo(control, ['fast'])).get('fast')).to.equal('2');
    await control.close();
  });

  it('honours an already-aborted signal without sending anything', async () => {
    port = await startScriptedControlPort(() => '250 OK\r\n');
    const control = await clientFor(port);
    const error = await control
      .request('GETINFO version', { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    await control.request('SIGNAL NEWNYM');
    expect(port.received).to.deep.equal(['SIGNAL NEWNYM']);
    await control.close();
  });

  it('closes the connection on a malformed or unsolicited reply, rejecting pending calls', async () => {
    port = await startScriptedControlPort(() => 'HTTP/1.0 400 Bad Request\r\n');
    const control = await clientFor(port);
    const error = await control.request('GETINFO version').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TorConnectionClosedError);
    expect((error as Error).message).to.match(/malformed/);
    await control.close();

    port.close();
    port = await startScriptedControlPort(() => '250 OK\r\n250 OK\r\n');
    const control2 = await clientFor(port);
    await control2.request('SIGNAL NEWNYM');
    const closed = await control2.closed;
    expect(closed.message).to.match(/reply \(250\) to no command/);
  });

  it('refuses command lines with CR or LF', async () => {
    port = await startScriptedControlPort(() => '250 OK\r\n');
    const control = await clientFor(port);
    const error = await control.request('SETCONF a=b\r\nSIGNAL HALT').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect(port.received).to.deep.equal([]);
    await control.close();
  });

  it('quotes SETCONF values and parses GETCONF defaults, repeats and quoted values', async () => {
    port = await startScriptedControlPort((line) =>
      line.startsWith('GETCONF')
        ? '250-SocksPort=9050\r\n250-SocksPort=unix:/run/a\r\n250-ContactInfo="a \\"b\\""\r\n250 Nickname\r\n'
        : '250 OK\r\n',
    );
    const control = await clientFor(port);
    await setConf(control, {
      ContactInfo: 'a "b"',
      SocksPort: ['9050', 'unix:/run/a'],
      DisableNetwork: true,
      Nickname: null,
    });
    expect(port.received[0]).to.equal(
      'SETCONF ContactInfo="a \\"b\\"" SocksPort="9050" SocksPort="unix:/run/a" DisableNetwork="1" Nickname',
    );
    const conf = await getConf(control, ['SocksPort', 'ContactInfo', 'Nickname']);
    expect([...conf]).to.deep.equal([
      ['SocksPort', ['9050', 'unix:/run/a']],
      ['ContactInfo', ['a "b"']],
      ['Nickname', []],
    ]);
    await control.close();
  });
});
