/**
 * A leak guard for tests: records the destination of every outbound socket (`net.Socket.prototype.connect`,
 * which `net.connect`, `net.createConnection`, `tls.connect` and `http` all go through) and blocks and reports
 * any destination that is not allowed (by default: anything but loopback and Unix-domain sockets).
 *
 * Use it in a suite with `useLeakGuard()` (hooks that fail the test on a violation) or around code with
 * `installLeakGuard()` / `guard.uninstall()`.
 *
 * @module
 */
import net from 'node:net';

/** One attempted connection. */
export type Destination = { kind: 'tcp'; host: string; port: number } | { kind: 'ipc'; path: string };

/** Decides whether a destination is allowed. */
export type AllowRule = (destination: Destination) => boolean;

/** True for Unix-domain sockets and TCP to 127.0.0.0/8, ::1 or `localhost`. */
export const loopbackOnly: AllowRule = (d) => {
  if (d.kind === 'ipc') return true;
  const host = d.host.toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '::ffff:127.0.0.1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
};

/** An installed guard. */
export interface LeakGuard {
  /** Every destination attempted while installed, in order. */
  readonly attempts: readonly Destination[];
  /** The attempts that were refused. */
  readonly violations: readonly Destination[];
  /** Throws an Error listing the violations, if any. */
  assertClean(): void;
  /** Restores the original `connect`. Safe to call twice. */
  uninstall(): void;
}

/** Extracts the destination from the many argument forms of `socket.connect`. */
function destinationOf(args: unknown[]): Destination {
  let [first, second] = args;
  // Node passes an already-normalized [options, callback] array when called from net.connect().
  if (Array.isArray(first)) [first, second] = first as unknown[];
  if (typeof first === 'object' && first !== null) {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === 'string') return { kind: 'ipc', path: o.path };
    return { kind: 'tcp', host: typeof o.host === 'string' ? o.host : 'localhost', port: Number(o.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { kind: 'ipc', path: first };
  return { kind: 'tcp', host: typeof second === 'string' ? second : 'localhost', port: Number(first) };
}

function show(d: Destination): string {
  return d.kind === 'ipc' ? `unix:${d.path}` : `${d.host}:${d.port}`;
}

let installed = false;

/** Patches `net.Socket.prototype.connect`. Only one guard may be installed at a time. */
export function installLeakGuard(allow: AllowRule = loopbackOnly): LeakGuard {
  if (installed) throw new Error('a leak guard is already installed');
  installed = true;
  const original = net.Socket.prototype.connect;
  const attempts: Destination[] = [];
  const violations: Destination[] = [];
  const patched = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const destination = destinationOf(args);
    attempts.push(destination);
    if (!allow(destination)) {
      violations.push(destination);
      const error = Object.assign(
        new Error(`leak guard: connection to ${show(destination)} is not allowed in tests`),
        {
          code: 'ELEAKGUARD',
        },
      );
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = patched as typeof original;
  let active = true;
  return {
    attempts,
    violations,
    assertClean() {
      if (violations.length > 0) {
        throw new Error(
          `leak guard: ${violations.length} forbidden connection(s): ${violations.map(show).join(', ')}`,
        );
      }
    },
    uninstall() {
      if (!active) return;
      active = false;
      installed = false;
      net.Socket.prototype.connect = original;
    },
  };
}

/**
 * Installs a guard before each test of the calling suite and, after each, uninstalls it and fails the test if a
 * forbidden destination was attempted. Returns an accessor for the current test's guard.
 */
export function useLeakGuard(allow: AllowRule = loopbackOnly): () => LeakGuard {
  let guard: LeakGuard | undefined;
  beforeEach(() => {
    guard = installLeakGuard(allow);
  });
  afterEach(() => {
    const current = guard;
    guard = undefined;
    current?.uninstall();
    current?.assertClean();
  });
  return () => {
    if (guard === undefined) throw new Error('useLeakGuard: no test is running');
    return guard;
  };
}
