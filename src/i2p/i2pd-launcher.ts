/**
 * Launching and stopping an i2pd router owned by lafs (`[i2p] launch = true`, and the integration tests'
 * isolated router).
 *
 * The launcher writes `i2pd.conf` into the data directory (see `i2pd-config.ts`), starts i2pd in the
 * foreground with `--datadir`/`--conf`, and is ready once SAM answers HELLO. Stopping sends SIGTERM (i2pd's
 * immediate shutdown; SIGINT would wait up to 10 minutes for transit tunnels) and falls back to SIGKILL after a
 * bound, because i2pd 2.45 ignores SIGTERM when a SAM client hung up during a pending SESSION CREATE.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { combineSignals, sleep, throwIfAborted } from '../util/abort.js';
import { I2pdNotFoundError, I2pdStartError } from './errors.js';
import { type I2pdLogLevel, type I2pdMode, i2pdPaths, renderI2pdConfig } from './i2pd-config.js';
import { SamConnection } from './sam-connection.js';

/** Options of {@link launchI2pd}. */
export interface LaunchI2pdOptions {
  /** The i2pd executable (default `i2pd`, looked up in PATH). */
  executable?: string;
  /** The router's data directory; created (mode 0700) if missing. Keep it between runs for a stable router. */
  dataDir: string;
  /** SAM port on 127.0.0.1 (default: a free port chosen now). */
  samPort?: number;
  /** `network` (default) for the real I2P network, `isolated` for the offline test network. */
  mode?: I2pdMode;
  /** NTCP2 port (isolated mode: default a free port; network mode: default chosen by i2pd). */
  ntcp2Port?: number;
  /** Web console port on 127.0.0.1 (default: console off). */
  httpPort?: number;
  /** i2pd log level (default `warn`). */
  logLevel?: I2pdLogLevel;
  /** Reseed certificates directory (default `/usr/share/i2pd/certificates` when it exists). */
  certsDir?: string;
  /** Aborts the launch; aborting after the launch stops the router. */
  signal?: AbortSignal;
  /** How long to wait for SAM to answer (default 30 000 ms; it answers in ~0.1 s on 2.45). */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL (default 10 000 ms; SIGTERM takes ~3 s). */
  stopTimeoutMs?: number;
}

/** A running i2pd launched by {@link launchI2pd}. */
export interface I2pdRouter {
  /** Always `127.0.0.1`. */
  readonly samHost: string;
  readonly samPort: number;
  readonly dataDir: string;
  readonly pid: number;
  /** i2pd's log file. */
  readonly logFile: string;
  /** Settles with the exit code (or the signal name) once i2pd has exited, for whatever reason. */
  readonly exited: Promise<number | string>;
  /** Stops i2pd: SIGTERM, then SIGKILL after `stopTimeoutMs`. Idempotent; resolves once it has exited. */
  stop(): Promise<void>;
}

const TAIL_LINES = 30;

/** Asks the OS for a free TCP port on 127.0.0.1 (there is a short race until i2pd binds it). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/**
 * Starts i2pd and waits until its SAM bridge answers HELLO.
 *
 * @throws I2pdNotFoundError when the executable cannot be run; I2pdStartError (with i2pd's last output) when
 *   it exits early or SAM does not answer in time; AbortError when `signal` fires (i2pd is then stopped).
 */
export async function launchI2pd(options: LaunchI2pdOptions): Promise<I2pdRouter> {
  throwIfAborted(options.signal, 'launching i2pd');
  const mode = options.mode ?? 'network';
  const executable = options.executable ?? 'i2pd';
  const samPort = options.samPort ?? (await findFreePort());
  const ntcp2Port = options.ntcp2Port ?? (mode === 'isolated' ? await findFreePort() : undefined);
  const paths = i2pdPaths(options.dataDir);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  await chmod(options.dataDir, 0o700);
  await mkdir(paths.tunnelsDir, { recursive: true, mode: 0o700 });
  await writeFile(paths.tunnelsConf, '', { mode: 0o600 });
  const config = renderI2pdConfig({
    dataDir: options.dataDir,
    samPort,
    mode,
    ntcp2Port,
    httpPort: options.httpPort,
    logLevel: options.logLevel,
  });
  await writeFile(paths.conf, config, { mode: 0o600 });

  const certsDir = options.certsDir ?? '/usr/share/i2pd/certificates';
  const args = [
    `--datadir=${options.dataDir}`,
    `--conf=${paths.conf}`,
    `--tunconf=${paths.tunnelsConf}`,
    `--tunnelsdir=${paths.tunnelsDir}`,
  ];
  if (options.certsDir !== undefined || existsSync(certsDir)) args.push(`--certsdir=${certsDir}`);

  const output: string[] = [];
  const remember = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > TAIL_LINES) output.splice(0, output.length - TAIL_LINES);
  };
  const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new I2pdNotFoundError(executable, { cause: error })));
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', () => resolve('spawn failed'));
  });
  await spawned;
  // Never leave an orphaned router behind if this process exits without stopping it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= stopChild(child, exited, options.stopTimeoutMs ?? 10_000).finally(() => {
      process.off('exit', killOnExit);
      options.signal?.removeEventListener('abort', onAbort);
    });
    return stopping;
  };
  const onAbort = (): void => void stop();
  const tail = async (): Promise<string[]> => [...output, ...(await readTail(paths.log))].slice(-TAIL_LINES);

  try {
    await waitForSam(samPort, exited, options.signal, options.startTimeoutMs ?? 30_000, tail);
  } catch (error) {
    await stop();
    throw error;
  }
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    samHost: '127.0.0.1',
    samPort,
    dataDir: options.dataDir,
    pid: child.pid ?? -1,
    logFile: paths.log,
    exited,
    stop,
  };
}

async function waitForSam(
  samPort: number,
  exited: Promise<number | string>,
  callerSignal: AbortSignal | undefined,
  startTimeoutMs: number,
  tail: () => Promise<string[]>,
): Promise<void> {
  const signal = combineSignals({ signal: callerSignal, timeoutMs: startTimeoutMs }, 'waiting for i2pd SAM');
  let exitStatus: number | string | undefined;
  void exited.then((status) => {
    exitStatus = status;
  });
  let lastError: unknown;
  for (;;) {
    if (exitStatus !== undefined) {
      throw new I2pdStartError(`i2pd exited during startup (status ${exitStatus})`, await tail());
    }
    if (signal?.aborted) {
      throwIfAborted(callerSignal, 'launching i2pd');
      throw new I2pdStartError(
        `i2pd SAM on 127.0.0.1:${samPort} did not answer within ${startTimeoutMs} ms`,
        await tail(),
        { cause: lastError },
      );
    }
    try {
      const connection = await SamConnection.open({ port: samPort }, { timeoutMs: 2_000, signal });
      connection.destroy();
      return;
    } catch (error) {
      lastError = error;
      await sleep(100).catch(() => undefined);
    }
  }
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<number | string>,
  stopTimeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timedOut = Symbol('timeout');
  const timer = new AbortController();
  const first = await Promise.race([
    exited,
    sleep(stopTimeoutMs, timer.signal).then(
      () => timedOut,
      () => timedOut,
    ),
  ]);
  timer.abort();
  if (first !== timedOut) return;
  child.kill('SIGKILL');
  await exited;
}

/** The last lines of i2pd's log file (best effort: it may not exist yet). */
async function readTail(file: string): Promise<string[]> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 8192);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString('utf8').split('\n').filter(Boolean).slice(-TAIL_LINES);
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
}
