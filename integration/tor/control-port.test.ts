import { expect } from 'chai';
import { getConf, getInfo, getInfoOne, setConf, signal } from '../../src/tor/commands.js';
import { openTorControl } from '../../src/tor/connect.js';
import {
  TorAuthenticationError,
  TorConnectionClosedError,
  TorControlError,
  TorControlPortUnavailableError,
} from '../../src/tor/errors.js';
import { connectSystemTor } from '../../src/tor/system-tor.js';
import { type StandaloneTor, startStandaloneTor } from '../support/tor-standalone.js';

describe('tor control port against a real tor (DisableNetwork 1)', function () {
  this.timeout(30_000);

  describe('with cookie authentication', () => {
    let tor: StandaloneTor;
    before(async () => {
      tor = await startStandaloneTor({ type: 'cookie' });
    });
    after(async () => tor?.stop());

    it('authenticates with SAFECOOKIE and answers GETINFO', async () => {
      const { control, method, protocolInfo } = await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, {
        timeoutMs: 10_000,
      });
      try {
        expect(method).to.equal('SAFECOOKIE');
        expect(protocolInfo.authMethods).to.include.members(['COOKIE', 'SAFECOOKIE']);
        expect(protocolInfo.cookieFile).to.equal(tor.cookieFile);
        const info = await getInfo(control, ['version', 'config-file', 'net/listeners/socks']);
        expect(info.get('version')).to.match(
          new RegExp(`^${protocolInfo.torVersion!.replace(/\./g, '\\.')}`),
        );
        expect(info.get('net/listeners/socks')).to.equal('');
        const error = await getInfoOne(control, 'no-such-key').catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TorControlError).and.include({ status: 552, command: 'GETINFO' });
      } finally {
        await control.close();
      }
    });

    it('reads the cookie from an explicitly configured file (still SAFECOOKIE, the best offered)', async () => {
      const { control, method } = await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, {
        cookieFile: tor.cookieFile,
        timeoutMs: 10_000,
      });
      expect(method).to.equal('SAFECOOKIE');
      await control.close();
    });

    it('GETCONF/SETCONF round-trip quoted values and SETEVENTS delivers CONF_CHANGED', async () => {
      const { control } = await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, { timeoutMs: 10_000 });
      try {
        const changes: string[] = [];
        const subscription = await control.subscribe('CONF_CHANGED', (event) => {
          for (const line of event.lines) changes.push(line.text);
        });
        const contact = 'lafs test "quoted" \\ back';
        await setConf(control, { ContactInfo: contact, DisableNetwork: true });
        const conf = await getConf(control, ['ContactInfo', 'DisableNetwork', 'SocksPort', 'Nickname']);
        expect(conf.get('ContactInfo')).to.deep.equal([contact]);
        expect(conf.get('DisableNetwork')).to.deep.equal(['1']);
        expect(conf.get('SocksPort')).to.deep.equal(['0']);
        await setConf(control, { ContactInfo: null });
        expect((await getConf(control, ['ContactInfo'])).get('ContactInfo')).to.deep.equal([]);
        await signal(control, 'HEARTBEAT');
        await getInfoOne(control, 'version'); // CONF_CHANGED events precede this reply
        expect(changes.some((c) => c.startsWith('ContactInfo=lafs test'))).to.equal(true);
        await subscription.unsubscribe();
        const bad = await setConf(control, { NoSuchOption: 1 }).catch((e: unknown) => e);
        expect(bad).to.be.instanceOf(TorControlError).with.property('status', 552);
      } finally {
        await control.close();
      }
    });

    it('rejects a pending call when the control connection dies mid-call', async () => {
      const victim = await startStandaloneTor({ type: 'cookie' });
      try {
        const { control } = await openTorControl(`tcp:127.0.0.1:${victim.controlPort}`, {
          timeoutMs: 10_000,
        });
        victim.process.child.kill('SIGSTOP'); // tor cannot answer now
        const pending = getInfoOne(control, 'version');
        const another = control.request('SIGNAL HEARTBEAT');
        victim.process.child.kill('SIGKILL');
        for (const call of [pending, another]) {
          const error = await call.catch((e: unknown) => e);
          expect(error).to.be.instanceOf(TorConnectionClosedError);
        }
        expect(control.isClosed).to.equal(true);
      } finally {
        await victim.stop();
      }
    });

    it('connectSystemTor tries each candidate and says what failed', async () => {
      const found = await connectSystemTor({
        candidates: ['unix:/nonexistent/lafs-test/control', `tcp:127.0.0.1:${tor.controlPort}`],
        timeoutMs: 10_000,
      });
      expect(found.descriptor).to.equal(`tcp:127.0.0.1:${tor.controlPort}`);
      expect(found.method).to.equal('SAFECOOKIE');
      expect(found.socks).to.equal(undefined);
      await found.control.close();

      // the config layer's parsed endpoint ({ kind, host, port }) is accepted as is
      const configured = await connectSystemTor({
        controlPort: { kind: 'tcp', host: '127.0.0.1', port: tor.controlPort },
        timeoutMs: 10_000,
      });
      expect(configured.method).to.equal('SAFECOOKIE');
      await configured.control.close();

      const error = await connectSystemTor({
        candidates: ['unix:/nonexistent/lafs-test/control', 'tcp:127.0.0.1:1'],
        timeoutMs: 10_000,
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TorControlPortUnavailableError);
      expect((error as TorControlPortUnavailableError).attempts.map((a) => a.descriptor)).to.deep.equal([
        'unix:/nonexistent/lafs-test/control',
        'tcp:127.0.0.1:1',
      ]);
      expect((error as Error).message).to.match(/ENOENT.*ECONNREFUSED/);
    });
  });

  describe('with HashedControlPassword', () => {
    let tor: StandaloneTor;
    before(async () => {
      tor = await startStandaloneTor({ type: 'password', password: 'correct "horse" battery' });
    });
    after(async () => tor?.stop());

    it('authenticates with the right password', async () => {
      const { control, method } = await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, {
        password: 'correct "horse" battery',
        timeoutMs: 10_000,
      });
      expect(method).to.equal('HASHEDPASSWORD');
      expect(await getInfoOne(control, 'version')).to.match(/^0\.4\./);
      await control.close();
    });

    it('fails clearly with a wrong password or none', async () => {
      const wrong = await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, {
        password: 'wrong',
        timeoutMs: 10_000,
      }).catch((e: unknown) => e);
      expect(wrong).to.be.instanceOf(TorAuthenticationError);
      expect((wrong as Error).message).to.match(/HASHEDPASSWORD.*515/);
      const none = await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, { timeoutMs: 10_000 }).catch(
        (e: unknown) => e,
      );
      expect(none).to.be.instanceOf(TorAuthenticationError);
      expect((none as Error).message).to.match(/password/);
    });
  });

  describe('without authentication', () => {
    let tor: StandaloneTor;
    before(async () => {
      tor = await startStandaloneTor({ type: 'none' });
    });
    after(async () => tor?.stop());

    it('authenticates with NULL (a bare AUTHENTICATE)', async () => {
      const { control, method, protocolInfo } = await openTorControl(`${tor.controlPort}`, {
        timeoutMs: 10_000,
      });
      expect(protocolInfo.authMethods).to.deep.equal(['NULL']);
      expect(method).to.equal('NULL');
      expect(await getInfoOne(control, 'version')).to.match(/^0\.4\./);
      await control.close();
    });
  });
});
