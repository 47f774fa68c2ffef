/**
 * A standalone `tor` with `DisableNetwork 1` for integration tests of the control protocol: no network traffic,
 * control port on 127.0.0.1 (`auto`), answering in ~15 ms. Auth is cookie, hashed password or none.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnTor, type TorProcess } from '../../src/tor/tor-process.js';
import { sleep } from '../../src/util/abort.js';

export type StandaloneAuth = { type: 'cookie' } | { type: 'password'; password: string } | { type: 'none' };

export interface StandaloneTor {
  readonly dir: string;
  readonly controlPort: number;
  readonly cookieFile: string;
  readonly process: TorProcess;
  stop(): Promise<void>;
}

/** `tor --hash-password` (the last output line is the `16:...` hash). */
export async function hashPassword(password: string): Promise<string> {
  const { stdout } = await promisify(execFile)('tor', ['--hash-password', password, '--quiet']);
  const hash = stdout.trim().split('\n').pop() ?? '';
  if (!hash.startsWith('16:'))
    throw new Error(`unexpected tor --hash-password output ${JSON.stringify(stdout)}`);
  return hash;
}

export async function startStandaloneTor(auth: StandaloneAuth): Promise<StandaloneTor> {
  const dir = mkdtempSync(join(tmpdir(), 'lafs-tor-standalone-'));
  const portFile = join(dir, 'control.port');
  const args = [
    '--ignore-missing-torrc',
    '-f',
    '/dev/null',
    '--defaults-torrc',
    '/dev/null',
    '--DataDirectory',
    join(dir, 'data'),
    '--DisableNetwork',
    '1',
    '--SocksPort',
    '0',
    '--ControlPort',
    'auto',
    '--ControlPortWriteToFile',
    portFile,
    '--GeoIPFile',
    '',
    '--GeoIPv6File',
    '',
    '--Log',
    'notice stdout',
  ];
  if (auth.type === 'cookie') args.push('--CookieAuthentication', '1');
  if (auth.type === 'password') args.push('--HashedControlPassword', await hashPassword(auth.password));
  const tor = spawnTor('tor', args);
  const stop = async (): Promise<void> => {
    await tor.stop(3000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await tor.spawned;
    for (let waited = 0; ; waited += 20) {
      const m = /PORT=127\.0\.0\.1:([0-9]+)/.exec(readFileIfExists(portFile));
      if (m)
        return {
          dir,
          controlPort: Number(m[1]),
          cookieFile: join(dir, 'data', 'control_auth_cookie'),
          process: tor,
          stop,
        };
      if (tor.hasExited() || waited > 20_000)
        throw new Error(`standalone tor did not start:\n${tor.lastLines().join('\n')}`);
      await sleep(20);
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

function readFileIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
