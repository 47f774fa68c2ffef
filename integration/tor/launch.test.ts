import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { getConf, getInfoOne } from '../../src/tor/commands.js';
import {
  TorBootstrapTimeoutError,
  TorExecutableNotFoundError,
  TorExitedError,
} from '../../src/tor/errors.js';
import type { BootstrapStatus } from '../../src/tor/events.js';
import { launchTor } from '../../src/tor/launch.js';
import { isAlive, processesUsing } from '../support/processes.js';

const OFFLINE = { DisableNetwork: 1 };

async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('launchTor (DisableNetwork 1)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lafs-launch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts an owned tor on a unix control socket, and stop() leaves no process behind', async () => {
    const progress: BootstrapStatus[] = [];
    const dataDirectory = join(dir, 'tor-statedir');
    const tor = await launchTor({
      dataDirectory,
      extraConfig: OFFLINE,
      waitForBootstrap: false,
      onProgress: (s) => progress.push(s),
      timeoutMs: 30_000,
    });
    const pid = tor.process.child.pid;
    try {
      expect(tor.controlTarget).to.deep.equal({ kind: 'unix', path: join(dataDirectory, 'control.sock') });
      expect(statSync(dataDirectory).mode & 0o777).to.equal(0o700);
      expect(isAlive(pid)).to.equal(true);
      expect(tor.torVersion).to.match(/^0\.4\./);
      expect(tor.socks).to.equal(undefined); // no listeners while the network is disabled
      expect(progress[0]).to.include({ progress: 0, tag: 'starting' });
      const conf = await getConf(tor.control, [
        '__OwningControllerProcess',
        'SocksPort',
        'CookieAuthentication',
      ]);
      expect(conf.get('__OwningControllerProcess')).to.deep.equal([String(process.pid)]);
      expect(conf.get('SocksPort')).to.deep.equal(['auto']);
      expect(conf.get('CookieAuthentication')).to.deep.equal(['1']);
    } finally {
      await tor.stop();
    }
    expect(tor.process.hasExited()).to.equal(true);
    expect(isAlive(pid)).to.equal(false);
    expect(processesUsing(dataDirectory)).to.deep.equal([]);
    await tor.stop(); // idempotent
  });

  it('TAKEOWNERSHIP: tor exits on its own when the owning control connection closes', async () => {
    const tor = await launchTor({
      dataDirectory: join(dir, 'd'),
      extraConfig: OFFLINE,
      waitForBootstrap: false,
    });
    try {
      await tor.control.close();
      const exit = await within(
        10_000,
        tor.process.exited,
        'tor exiting after the control connection closed',
      );
      expect(exit.signal).to.equal(null); // a clean exit, not our SIGTERM
    } finally {
      await tor.stop();
    }
  });

  it('falls back to a TCP control port when the socket path would be too long', async () => {
    const tor = await launchTor({
      dataDirectory: join(dir, 'x'.repeat(120)),
      extraConfig: OFFLINE,
      waitForBootstrap: false,
    });
    try {
      expect(tor.controlTarget).to.include({ kind: 'tcp', host: '127.0.0.1' });
      expect(await getInfoOne(tor.control, 'version')).to.match(/^0\.4\./);
    } finally {
      await tor.stop();
    }
  });

  it('fails with TorBootstrapTimeoutError when bootstrap makes no progress, and stops tor', async () => {
    const error = await launchTor({
      dataDirectory: join(dir, 'b'),
      extraConfig: OFFLINE,
      bootstrapTimeoutMs: 400,
      onProgress: () => {},
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TorBootstrapTimeoutError).and.include({ progress: 0, tag: 'starting' });
    expect(processesUsing(join(dir, 'b'))).to.deep.equal([]);
  });

  it('names a missing executable', async () => {
    const error = await launchTor({ dataDirectory: join(dir, 'm'), executable: '/nonexistent/tor' }).catch(
      (e: unknown) => e,
    );
    expect(error)
      .to.be.instanceOf(TorExecutableNotFoundError)
      .with.property('executable', '/nonexistent/tor');
  });

  it('reports tor exiting early with its last log lines', async () => {
    const error = await launchTor({
      dataDirectory: join(dir, 'e'),
      extraConfig: { ...OFFLINE, NoSuchTorOption: 1 },
      waitForBootstrap: false,
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TorExitedError);
    expect((error as TorExitedError).exitCode).to.not.equal(0);
    expect((error as Error).message).to.match(/NoSuchTorOption/);
  });

  it('can be aborted while starting, and stops tor', async () => {
    const controller = new AbortController();
    const launching = launchTor({
      dataDirectory: join(dir, 'a'),
      extraConfig: OFFLINE,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const error = await launching.catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    expect(processesUsing(join(dir, 'a'))).to.deep.equal([]);
  });
});
