import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { waitForBootstrap } from '../../src/tor/bootstrap.js';
import { TorControlClient } from '../../src/tor/control-client.js';
import { TorBootstrapTimeoutError } from '../../src/tor/errors.js';
import type { BootstrapStatus } from '../../src/tor/events.js';
import { type ScriptedControlPort, startScriptedControlPort } from './scripted-control-port.js';

const bootstrapLine = (severity: string, progress: number, tag: string): string =>
  `${severity} BOOTSTRAP PROGRESS=${progress} TAG=${tag} SUMMARY="Phase ${tag}"`;

/** A control port whose tor "bootstraps" by sending `events` (STATUS_CLIENT lines) 40 ms apart after GETINFO. */
async function bootstrappingPort(events: string[]): Promise<ScriptedControlPort> {
  const timers: NodeJS.Timeout[] = [];
  const port = await startScriptedControlPort((line, socket: Socket) => {
    if (line === 'GETINFO status/bootstrap-phase') {
      events.forEach((event, i) => {
        timers.push(
          setTimeout(() => socket.destroyed || socket.write(`650 STATUS_CLIENT ${event}\r\n`), 40 * (i + 1)),
        );
      });
      return `250-status/bootstrap-phase=${bootstrapLine('NOTICE', 0, 'starting')}\r\n250 OK\r\n`;
    }
    return '250 OK\r\n';
  });
  const close = port.close;
  return {
    ...port,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await close();
    },
  };
}

async function clientFor(port: ScriptedControlPort): Promise<TorControlClient> {
  const socket = connect({ host: '127.0.0.1', port: port.port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return new TorControlClient(socket);
}

describe('tor/waitForBootstrap', () => {
  let port: ScriptedControlPort | undefined;
  afterEach(async () => {
    await port?.close();
    port = undefined;
  });

  it('counts the inactivity timeout from the last progress, not from the start', async () => {
    // 10 phases 40 ms apart take 400 ms in all, longer than the 250 ms allowed between two of them
    const phases = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    port = await bootstrappingPort(
      phases.map((p) => bootstrapLine('NOTICE', p, p === 100 ? 'done' : `t${p}`)),
    );
    const control = await clientFor(port);
    const seen: BootstrapStatus[] = [];
    const final = await waitForBootstrap(control, {
      inactivityTimeoutMs: 250,
      onProgress: (s) => seen.push(s),
    });
    expect(final).to.include({ progress: 100, tag: 'done' });
    expect(seen.map((s) => s.progress)).to.deep.equal([0, ...phases]);
    expect(port.received[0]).to.equal('SETEVENTS STATUS_CLIENT');
    expect(port.received[port.received.length - 1]).to.equal('SETEVENTS');
    await control.close();
  });

  it('fails where it stalled when only warnings repeat', async () => {
    port = await bootstrappingPort([
      bootstrapLine('NOTICE', 10, 'conn'),
      ...Array.from(
        { length: 20 },
        () => `${bootstrapLine('WARN', 10, 'conn')} WARNING="Connection refused"`,
      ),
    ]);
    const control = await clientFor(port);
    const error = await waitForBootstrap(control, { inactivityTimeoutMs: 250 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TorBootstrapTimeoutError).and.include({ progress: 10, tag: 'conn' });
    expect((error as Error).message).to.match(/250 ms.*10%.*conn/);
    await control.close();
  });

  it('stops waiting when aborted', async () => {
    port = await bootstrappingPort([]);
    const control = await clientFor(port);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await waitForBootstrap(control, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    await control.close();
  });
});
