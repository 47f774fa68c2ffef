/**
 * Unix-domain socket descriptors in Twisted's endpoint syntax, which Tahoe-LAFS passes through unchanged:
 *
 * - server (`serverFromString`, `tub.port`/`web.port`): `unix:ADDRESS` or `unix:address=ADDRESS`, with the
 *   keywords `mode=` (octal permissions, Twisted's default 666), `backlog=` (listen queue length) and
 *   `lockfile=0|1` (Twisted `endpoints._parseUNIX`);
 * - client (`clientFromString`, `[tor] control.port`, `[i2p] sam.port`): `unix:PATH` or `unix:path=PATH`, with
 *   `timeout=` (seconds) and `lockfile=0|1` (also spelled `checkPID=`, the `UNIXClientEndpoint` argument it
 *   becomes) (Twisted `endpoints._parseClientUNIX`).
 *
 * `\:` escapes a colon inside the path (`endpoints/tokenize.ts`). Any other keyword, a second positional
 * argument or an empty path is a {@link DescriptorError} naming the descriptor and the position: Twisted would
 * raise a `TypeError` there, and lafs must not quietly use a different socket than the one written.
 *
 * @module
 */
import { fail } from '../host.js';
import type { DescriptorToken } from '../tokenize.js';
import { escapeValue, tokenize } from '../tokenize.js';
import type { DescriptorCodec, DescriptorInput, UnixClientDescriptor, UnixListen } from '../types.js';
import { collectArgs, validateByRoundTrip } from './args.js';

/** The socket path of the positional (or named) token: non-empty and without NUL. */
function socketPath(input: DescriptorInput, token: DescriptorToken | undefined): string {
  if (token === undefined || token.value === '') {
    return fail(input, token?.valueStart ?? input.source.length, 'a socket path after "unix:"');
  }
  if (token.value.includes('\0')) fail(input, token.valueStart, 'a socket path without NUL characters');
  return token.value;
}

/** `0` or `1` (Twisted reads `bool(int(value))`; only the two documented values are accepted). */
function flag(input: DescriptorInput, token: DescriptorToken, key: string): boolean {
  if (token.value !== '0' && token.value !== '1')
    fail(input, token.valueStart, `0 or 1 for ${key}, got ${JSON.stringify(token.value)}`);
  return token.value === '1';
}

/** A decimal integer `min`-`max` written in digits only. */
function integer(
  input: DescriptorInput,
  token: DescriptorToken,
  key: string,
  min: number,
  max: number,
): number {
  const value = /^[0-9]{1,10}$/.test(token.value) ? Number(token.value) : Number.NaN;
  if (!(value >= min && value <= max)) {
    fail(
      input,
      token.valueStart,
      `a whole number ${min}-${max} for ${key}, got ${JSON.stringify(token.value)}`,
    );
  }
  return value;
}

/**
 * Twisted names the path `address=` when listening and `path=` when connecting; the other side's name is a
 * common slip, refused with a pointer to the right one.
 */
function refuseOtherSideKey(input: DescriptorInput, wrong: string, right: string, side: string): void {
  const token = input.args.find((t) => t.key === wrong);
  if (token !== undefined)
    fail(
      input,
      token.start,
      `the socket path as unix:PATH or ${right}=PATH`,
      `"${wrong}=" is not used when ${side}`,
    );
}

/** Largest accepted `backlog` (Linux caps it at `net.core.somaxconn` anyway). */
const MAX_BACKLOG = 65535;
/** Largest accepted client `timeout`, in seconds (a day). */
const MAX_TIMEOUT_SECONDS = 86_400;

/** `unix:ADDRESS[:mode=OCTAL][:backlog=N][:lockfile=0|1]` (also `unix:address=ADDRESS`): a listening socket. */
export const unixListenCodec: DescriptorCodec<UnixListen> = {
  name: 'unix',
  aliases: [],
  kind: 'listen',
  parse(input) {
    refuseOtherSideKey(input, 'path', 'address', 'listening');
    const { positional, keyed } = collectArgs(input, {
      positional: ['address'],
      keys: ['mode', 'backlog', 'lockfile'],
      keepUnknown: false,
    });
    const result: UnixListen = { scheme: 'unix', path: socketPath(input, positional[0]) };
    const mode = keyed.get('mode');
    if (mode !== undefined) {
      if (!/^[0-7]{1,4}$/.test(mode.value))
        fail(
          input,
          mode.valueStart,
          `octal permissions for mode (e.g. 660), got ${JSON.stringify(mode.value)}`,
        );
      result.mode = Number.parseInt(mode.value, 8);
    }
    const backlog = keyed.get('backlog');
    if (backlog !== undefined) result.backlog = integer(input, backlog, 'backlog', 1, MAX_BACKLOG);
    const lockfile = keyed.get('lockfile');
    if (lockfile !== undefined) result.lockfile = flag(input, lockfile, 'lockfile');
    return result;
  },
  format(value) {
    let text = `unix:${escapeValue(value.path)}`;
    if (value.mode !== undefined) text += `:mode=${value.mode.toString(8).padStart(3, '0')}`;
    if (value.backlog !== undefined) text += `:backlog=${value.backlog}`;
    if (value.lockfile !== undefined) text += `:lockfile=${value.lockfile ? 1 : 0}`;
    return text;
  },
  validate(value, policy) {
    validateByRoundTrip(this, value, policy);
  },
};

/**
 * Parses the arguments of a client `unix:` descriptor (`input.scheme` is `unix`):
 * `unix:PATH[:timeout=SECONDS][:lockfile=0|1]`, also `unix:path=PATH` and `checkPID=` for `lockfile=`.
 */
export function parseUnixClient(input: DescriptorInput): UnixClientDescriptor {
  refuseOtherSideKey(input, 'address', 'path', 'connecting');
  const { positional, keyed } = collectArgs(input, {
    positional: ['path'],
    keys: ['timeout', 'lockfile', 'checkPID'],
    keepUnknown: false,
  });
  const result: UnixClientDescriptor = { path: socketPath(input, positional[0]) };
  const timeout = keyed.get('timeout');
  if (timeout !== undefined)
    result.timeoutSeconds = integer(input, timeout, 'timeout', 1, MAX_TIMEOUT_SECONDS);
  const lockfile = keyed.get('lockfile');
  const checkPid = keyed.get('checkPID');
  if (lockfile !== undefined && checkPid !== undefined)
    fail(input, checkPid.start, 'lockfile or checkPID, not both (they are the same option)');
  const pid = lockfile ?? checkPid;
  if (pid !== undefined) result.lockfile = flag(input, pid, pid === lockfile ? 'lockfile' : 'checkPID');
  return result;
}

/**
 * Parses a whole client `unix:` descriptor string (as `[tor] control.port` holds it).
 *
 * @throws DescriptorError naming the descriptor, the position and what was expected there.
 */
export function parseUnixClientDescriptor(
  text: string,
  kind: 'config' | 'input' = 'config',
): UnixClientDescriptor {
  const [scheme, ...args] = tokenize(text, text, 0, kind);
  const name = scheme?.key === undefined ? scheme?.value.toLowerCase() : undefined;
  if (name !== 'unix') fail({ source: text, kind }, scheme?.start ?? 0, 'a descriptor starting with "unix:"');
  return parseUnixClient({ source: text, start: 0, scheme: 'unix', args, kind, policy: {} });
}

/** Writes a client `unix:` descriptor in canonical form (`lockfile=`, not `checkPID=`). */
export function formatUnixClientDescriptor(value: UnixClientDescriptor): string {
  let text = `unix:${escapeValue(value.path)}`;
  if (value.timeoutSeconds !== undefined) text += `:timeout=${value.timeoutSeconds}`;
  if (value.lockfile !== undefined) text += `:lockfile=${value.lockfile ? 1 : 0}`;
  return text;
}
