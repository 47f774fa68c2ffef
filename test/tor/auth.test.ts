import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readCookieFile, safeCookieHashes } from '../../src/tor/auth.js';
import { openTorControl } from '../../src/tor/connect.js';
import { TorAuthenticationError, TorSafeCookieMismatchError } from '../../src/tor/errors.js';
import { startScriptedControlPort } from './scripted-control-port.js';

const range = (from: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => from + i));

describe('tor/auth', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lafs-tor-auth-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('computes the SAFECOOKIE hashes of control-spec 3.24 (values from Python hmac)', () => {
    const { serverHash, clientHash } = safeCookieHashes(range(0, 32), range(32, 32), range(64, 32));
    expect(serverHash.toString('hex')).to.equal(
      '3c8780ab52365c0d080750447e5f64dabc00428c6c434579c2043e18c1f85389',
    );
    expect(clientHash.toString('hex')).to.equal(
      'b47642df2d5abb84f69e6d02d41bed6b44aee33e69562528a82166fc98bc0b1e',
    );
  });

  it('reads 32-byte cookies and rejects other sizes, naming the file', async () => {
    const good = join(dir, 'good');
    writeFileSync(good, range(0, 32));
    expect(await readCookieFile(good)).to.deep.equal(range(0, 32));
    for (const size of [0, 31, 33, 4096]) {
      const bad = join(dir, `bad${size}`);
      writeFileSync(bad, Buffer.alloc(size));
      let error: unknown;
      await readCookieFile(bad).catch((e: unknown) => {
        error = e;
      });
      expect(error, `size ${size}`).to.be.instanceOf(TorAuthenticationError);
      expect((error as Error).message).to.include(bad);
    }
  });

  /** A control port offering SAFECOOKIE whose server hash is computed from `serverCookie`. */
  async function safeCookiePort(cookieFile: string, serverCookie: Buffer) {
    const serverNonce = range(100, 32);
    return startScriptedControlPort((line) => {
      if (line === 'PROTOCOLINFO 1') {
        return `250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="${cookieFile}"\r\n250-VERSION Tor="0.4.9.11"\r\n250 OK\r\n`;
      }
      const challenge = /^AUTHCHALLENGE SAFECOOKIE ([0-9a-f]{64})$/.exec(line);
      if (challenge) {
        const hashes = safeCookieHashes(serverCookie, Buffer.from(challenge[1]!, 'hex'), serverNonce);
        return `250 AUTHCHALLENGE SERVERHASH=${hashes.serverHash.toString('hex').toUpperCase()} SERVERNONCE=${serverNonce.toString('hex').toUpperCase()}\r\n`;
      }
      if (line.startsWith('AUTHENTICATE ')) return '250 OK\r\n';
      return '510 Unrecognized command\r\n';
    });
  }

  it('SAFECOOKIE: sends the controller hash when the server proves it knows the cookie', async () => {
    const cookieFile = join(dir, 'cookie-ok');
    writeFileSync(cookieFile, range(7, 32));
    const port = await safeCookiePort(cookieFile, range(7, 32));
    try {
      const { control, method } = await openTorControl(`tcp:127.0.0.1:${port.port}`, { timeoutMs: 5000 });
      expect(method).to.equal('SAFECOOKIE');
      await control.close();
      const clientNonce = Buffer.from(port.received[1]!.split(' ')[2]!, 'hex');
      const expected = safeCookieHashes(range(7, 32), clientNonce, range(100, 32)).clientHash.toString('hex');
      expect(port.received[2]).to.equal(`AUTHENTICATE ${expected}`);
    } finally {
      await port.close();
    }
  });

  it('SAFECOOKIE: refuses, without sending AUTHENTICATE, when the server hash is wrong', async () => {
    const cookieFile = join(dir, 'cookie-mismatch');
    writeFileSync(cookieFile, range(7, 32));
    const port = await safeCookiePort(cookieFile, range(8, 32));
    try {
      let error: unknown;
      await openTorControl(`tcp:127.0.0.1:${port.port}`, { timeoutMs: 5000 }).catch((e: unknown) => {
        error = e;
      });
      expect(error).to.be.instanceOf(TorSafeCookieMismatchError);
      expect((error as Error).message).to.include(cookieFile);
      expect(port.received.some((l) => l.startsWith('AUTHENTICATE'))).to.equal(false);
    } finally {
      await port.close();
    }
  });

  it('COOKIE: sends the cookie in hex when SAFECOOKIE is not offered', async () => {
    const cookieFile = join(dir, 'cookie-plain');
    writeFileSync(cookieFile, range(40, 32));
    const port = await startScriptedControlPort((line) =>
      line.startsWith('PROTOCOLINFO')
        ? `250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE COOKIEFILE="${cookieFile}"\r\n250 OK\r\n`
        : '250 OK\r\n',
    );
    try {
      const { control, method } = await openTorControl(`tcp:127.0.0.1:${port.port}`, { timeoutMs: 5000 });
      expect(method).to.equal('COOKIE');
      await control.close();
      expect(port.received[1]).to.equal(`AUTHENTICATE ${range(40, 32).toString('hex')}`);
    } finally {
      await port.close();
    }
  });

  it('says what was offered and why nothing fit when no method is usable', async () => {
    const port = await startScriptedControlPort((line) =>
      line.startsWith('PROTOCOLINFO')
        ? `250-PROTOCOLINFO 1\r\n250-AUTH METHODS=HASHEDPASSWORD,SAFECOOKIE COOKIEFILE="${join(dir, 'missing')}"\r\n250 OK\r\n`
        : '514 Authentication required.\r\n',
    );
    try {
      const error = await openTorControl(`tcp:127.0.0.1:${port.port}`, { timeoutMs: 5000 }).catch(
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(TorAuthenticationError);
      expect((error as Error).message).to.match(/HASHEDPASSWORD, SAFECOOKIE.*missing.*password/);
      expect(port.received).to.deep.equal(['PROTOCOLINFO 1']);
    } finally {
      await port.close();
    }
  });

  it('quotes the password for HASHEDPASSWORD and reports a refusal as TorAuthenticationError', async () => {
    const port = await startScriptedControlPort((line) =>
      line.startsWith('PROTOCOLINFO')
        ? '250-PROTOCOLINFO 1\r\n250-AUTH METHODS=HASHEDPASSWORD\r\n250 OK\r\n'
        : '515 Authentication failed: Password did not match HashedControlPassword value from configuration\r\n',
    );
    try {
      const error = await openTorControl(`tcp:127.0.0.1:${port.port}`, {
        password: 'se"cr\\et',
        timeoutMs: 5000,
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TorAuthenticationError);
      expect((error as Error).message).to.match(/515/);
      expect(port.received[1]).to.equal('AUTHENTICATE "se\\"cr\\\\et"');
    } finally {
      await port.close();
    }
  });
});
