/**
 * Using a Tor that is already running (Tahoe-LAFS `[tor] launch = false`): the configured control port, or else
 * Debian's `/var/run/tor/control`, then `tcp:127.0.0.1:9051` (tor), then `tcp:127.0.0.1:9151` (Tor Browser).
 *
 * @module
 */

import { AbortError } from '../errors.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../util/abort.js';
import { getInfoOne } from './commands.js';
import {
  type ControlPortTarget,
  formatControlTarget,
  type OpenedTorControl,
  openTorControl,
  parseControlDescriptor,
} from './connect.js';
import { TorControlPortUnavailableError } from './errors.js';
import { parseSocksListeners, type SocksAddress } from './socks-listeners.js';

/** Where a system tor's control port usually is, in the order tried. */
export const DEFAULT_CONTROL_PORTS: readonly string[] = [
  'unix:/var/run/tor/control',
  'tcp:127.0.0.1:9051',
  'tcp:127.0.0.1:9151',
];

/** Options of {@link connectSystemTor}. */
export interface ConnectSystemTorOptions extends AbortOptions {
  /** The configured control port (descriptor string or parsed target); when set, only it is tried. */
  controlPort?: string | ControlPortTarget;
  /** Candidates tried when `controlPort` is not set (default {@link DEFAULT_CONTROL_PORTS}). */
  candidates?: readonly string[];
  /** Control password for HASHEDPASSWORD. */
  password?: string;
  /** Cookie file overriding the one Tor names. */
  cookieFile?: string;
  /** Time allowed for each candidate (default 10 000 ms). */
  perAttemptTimeoutMs?: number;
}

/** A connected system tor. */
export interface SystemTor extends OpenedTorControl {
  /** The descriptor that worked. */
  readonly descriptor: string;
  /** Its first SOCKS listener, if it has one. */
  readonly socks: SocksAddress | undefined;
}

/**
 * Connects to and authenticates with a running tor. Throws {@link TorControlPortUnavailableError} listing every
 * descriptor tried and why each failed (a descriptor syntax error is thrown at once).
 */
export async function connectSystemTor(options: ConnectSystemTorOptions = {}): Promise<SystemTor> {
  const signal = combineSignals(options, 'connecting to the system tor');
  const descriptors =
    options.controlPort !== undefined
      ? [options.controlPort]
      : [...(options.candidates ?? DEFAULT_CONTROL_PORTS)];
  const targets = descriptors.map((d) => {
    const target = typeof d === 'string' ? parseControlDescriptor(d) : d;
    return { descriptor: formatControlTarget(target), target };
  });
  const attempts: { descriptor: string; error: string }[] = [];
  for (const { descriptor, target } of targets) {
    throwIfAborted(signal, 'connecting to the system tor');
    try {
      const opened = await openTorControl(target, {
        signal,
        timeoutMs: options.perAttemptTimeoutMs ?? 10_000,
        ...(options.password !== undefined ? { password: options.password } : {}),
        ...(options.cookieFile !== undefined ? { cookieFile: options.cookieFile } : {}),
      });
      try {
        const socks = parseSocksListeners(
          await getInfoOne(opened.control, 'net/listeners/socks', { signal }),
        )[0];
        return { ...opened, descriptor, socks };
      } catch (error) {
        await opened.control.close();
        throw error;
      }
    } catch (error) {
      if (error instanceof AbortError && signal?.aborted) throw error;
      attempts.push({
        descriptor: formatControlTarget(target),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  throw new TorControlPortUnavailableError(attempts);
}
