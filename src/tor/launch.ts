/**
 * Launching a private `tor` for the node (the `[tor] launch = true` mode of Tahoe-LAFS): DataDirectory under the
 * node, control port on a unix socket (or `auto` TCP with ControlPortWriteToFile when the path is too long),
 * cookie authentication, `SocksPort auto`, no GeoIP, `__OwningControllerProcess` plus TAKEOWNERSHIP
 * (control-spec 3.23) so tor exits with us. Waits for bootstrap; the timeout counts from the last progress.
 * `Log` lines given in `extraConfig` are added to ours (`notice stdout`), which launchTor needs.
 *
 * @module
 */
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type AbortOptions, combineSignals, sleep, throwIfAborted } from '../util/abort.js';
import { waitForBootstrap } from './bootstrap.js';
import { getInfoOne, takeOwnership } from './commands.js';
import { type ControlPortTarget, openTorControl } from './connect.js';
import type { TorControlClient } from './control-client.js';
import { TorConnectionClosedError, TorExitedError } from './errors.js';
import { type BootstrapStatus, parseBootstrapStatus } from './events.js';
import { parseSocksListeners, type SocksAddress } from './socks-listeners.js';
import { type ProcessExit, spawnTor, type TorProcess } from './tor-process.js';

/** Longest unix socket path we use (sun_path is 108 bytes on Linux, 104 on BSD). */
const MAX_UNIX_SOCKET_PATH = 100;

/** Options of {@link launchTor}. */
export interface LaunchTorOptions extends AbortOptions {
  /** The tor executable (default `tor`, found on PATH). */
  executable?: string;
  /** Tor's DataDirectory (the node passes `NODEDIR/private/tor-statedir`); created with mode 0700. */
  dataDirectory: string;
  /** More torrc options, passed on tor's command line; they replace the defaults of the same name. */
  extraConfig?: Readonly<Record<string, string | number | readonly (string | number)[]>>;
  /** Called with each line tor writes to stdout/stderr (its notice log). */
  onLog?: (line: string) => void;
  /** Called with each bootstrap status (also the one current at connect time). */
  onProgress?: (status: BootstrapStatus) => void;
  /** Fail when bootstrap makes no progress for this long (default 120 000 ms), counted from the last progress. */
  bootstrapTimeoutMs?: number;
  /** Wait for bootstrap to reach 100% (default true; false for a `DisableNetwork 1` tor). */
  waitForBootstrap?: boolean;
  /** How long tor may take to open its control port (default 30 000 ms). */
  startTimeoutMs?: number;
  /** SIGTERM-to-SIGKILL grace period of `stop()` (default 5 000 ms). */
  stopGraceMs?: number;
}

/** A launched, authenticated, owned tor. */
export interface LaunchedTor {
  /** The authenticated control connection (closing it makes tor exit: TAKEOWNERSHIP). */
  readonly control: TorControlClient;
  /** Where the control port listens. */
  readonly controlTarget: ControlPortTarget;
  /** The SOCKS listener (`GETINFO net/listeners/socks`); undefined while `DisableNetwork 1`. */
  readonly socks: SocksAddress | undefined;
  /** Tor's version from PROTOCOLINFO. */
  readonly torVersion: string | undefined;
  /** The child process. */
  readonly process: TorProcess;
  /** Stops tor (close control, SIGTERM, SIGKILL after the grace period). Idempotent. */
  stop(): Promise<ProcessExit>;
}

/** Builds tor's command-line arguments: `--Key value` pairs over our defaults. */
function torArguments(
  defaults: Record<string, string | readonly string[]>,
  extra: LaunchTorOptions['extraConfig'],
) {
  const merged = new Map<string, { key: string; values: readonly string[] }>();
  const put = (key: string, value: string | number | readonly (string | number)[]): void => {
    const values = (Array.isArray(value) ? value : [value]).map(String);
    merged.set(key.toLowerCase(), { key, values });
  };
  for (const [key, value] of Object.entries(defaults)) put(key, value);
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new RangeError(`bad tor option name ${JSON.stringify(key)}`);
    // our `Log notice stdout` stays: launchTor reads tor's log to see the control listener open
    const ours = key.toLowerCase() === 'log' ? (merged.get('log')?.values ?? []) : [];
    put(key, [...ours, ...(Array.isArray(value) ? value : [value])]);
  }
  const args = ['--ignore-missing-torrc', '-f', '/dev/null', '--defaults-torrc', '/dev/null'];
  for (const { key, values } of merged.values()) for (const value of values) args.push(`--${key}`, value);
  return args;
}

/**
 * Starts tor and returns it authenticated, owned and (unless `waitForBootstrap: false`) bootstrapped. Errors:
 * `TorExecutableNotFoundError`, `TorExitedError` (with tor's last log lines), `TorBootstrapTimeoutError`,
 * `AbortError`; tor is stopped before any of them is thrown.
 */
export async function launchTor(options: LaunchTorOptions): Promise<LaunchedTor> {
  const signal = combineSignals(options, 'launching tor'); // timeoutMs, if given, bounds the whole launch
  throwIfAborted(signal, 'launching tor');
  const dataDirectory = options.dataDirectory;
  await mkdir(dataDirectory, { recursive: true, mode: 0o700 });
  await chmod(dataDirectory, 0o700); // tor refuses a control socket in a directory others can enter
  const socketPath = join(dataDirectory, 'control.sock');
  const portFile = join(dataDirectory, 'control.port');
  const useUnix = socketPath.length <= MAX_UNIX_SOCKET_PATH && !/[\s"\\]/.test(socketPath);
  if (!useUnix) await rm(portFile, { force: true });
  const args = torArguments(
    {
      DataDirectory: dataDirectory,
      ControlPort: useUnix ? `unix:${socketPath}` : 'auto',
      ...(useUnix ? {} : { ControlPortWriteToFile: portFile }),
      CookieAuthentication: '1',
      SocksPort: 'auto',
      __OwningControllerProcess: String(process.pid),
      GeoIPFile: '',
      GeoIPv6File: '',
      Log: 'notice stdout',
    },
    options.extraConfig,
  );
  let listenerOpened = false;
  const tor = spawnTor(options.executable ?? 'tor', args, (line) => {
    if (line.includes('Opened Control listener') && line.includes(socketPath)) listenerOpened = true;
    options.onLog?.(line);
  });
  const stopGraceMs = options.stopGraceMs ?? 5000;
  let control: TorControlClient | undefined;
  const stop = async (): Promise<ProcessExit> => {
    await control?.close();
    return tor.stop(stopGraceMs);
  };
  const exitedError = async (): Promise<never> => {
    const exit = await tor.exited;
    throw new TorExitedError(exit.code, exit.signal, tor.lastLines());
  };
  try {
    await tor.spawned;
    const startSignal = combineSignals(
      { signal, timeoutMs: options.startTimeoutMs ?? 30_000 },
      'waiting for tor to open its control port',
    );
    const target = await Promise.race([
      waitForControlPort(useUnix, socketPath, portFile, () => listenerOpened, startSignal),
      exitedError(),
    ]);
    const opened = await Promise.race([openTorControl(target, { signal: startSignal }), exitedError()]);
    control = opened.control;
    await takeOwnership(control, { signal });
    if (options.waitForBootstrap ?? true) {
      await Promise.race([
        waitForBootstrap(control, {
          signal,
          inactivityTimeoutMs: options.bootstrapTimeoutMs ?? 120_000,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }),
        exitedError(),
      ]);
    } else if (options.onProgress) {
      const status = parseBootstrapStatus(await getInfoOne(control, 'status/bootstrap-phase', { signal }));
      if (status) options.onProgress(status);
    }
    const socks = parseSocksListeners(await getInfoOne(control, 'net/listeners/socks', { signal }))[0];
    return {
      control,
      controlTarget: target,
      socks,
      torVersion: opened.protocolInfo.torVersion,
      process: tor,
      stop,
    };
  } catch (error) {
    await stop();
    if (error instanceof TorConnectionClosedError && tor.hasExited()) {
      const exit = await tor.exited;
      throw new TorExitedError(exit.code, exit.signal, tor.lastLines(), { cause: error });
    }
    throw error;
  }
}

/**
 * Waits until tor's control listener is ready: for a unix socket, tor's "Opened Control listener" log line for
 * our path (a stale socket file from an earlier run, or another tor holding this DataDirectory, must not be
 * mistaken for it); for TCP, the port file written by ControlPortWriteToFile.
 */
async function waitForControlPort(
  useUnix: boolean,
  socketPath: string,
  portFile: string,
  listenerOpened: () => boolean,
  signal: AbortSignal | undefined,
): Promise<ControlPortTarget> {
  for (;;) {
    throwIfAborted(signal, 'waiting for tor to open its control port');
    if (useUnix) {
      if (listenerOpened()) return { kind: 'unix', path: socketPath };
    } else {
      const text = await readFile(portFile, 'utf8').catch(() => '');
      const m = /^PORT=(.+):([0-9]+)\s*$/m.exec(text);
      if (m) return { kind: 'tcp', host: m[1]!, port: Number(m[2]) };
    }
    await sleep(20, signal);
  }
}
