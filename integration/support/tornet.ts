/**
 * A private Tor network on 127.0.0.1 for integration tests, built from scratch in a temporary directory: three
 * directory authorities that are also relays, one or two more relays, and a client launched with `launchTor`
 * (bootstrapped to 100%). Follows the measured recipe of /work/shared/tor/NOTES.md: TestingTorNetwork, a fast
 * voting schedule, every relay an HSDir/guard/exit bound to 127.0.0.1, and the client started only once every
 * relay has cached all microdescriptors. Everything is torn down on `stop()`, and on any failure while starting.
 *
 * Only ever send traffic to 127.0.0.1 and onion services through it: the exits are real exits.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootstrapStatus } from '../../src/tor/events.js';
import { type LaunchedTor, launchTor } from '../../src/tor/launch.js';
import { spawnTor, type TorProcess } from '../../src/tor/tor-process.js';
import { type AbortOptions, combineSignals, sleep } from '../../src/util/abort.js';

export interface TorNetOptions extends AbortOptions {
  /** Relays besides the three authorities (default 2; onion circuits need at least 4 relays in all). */
  relays?: 1 | 2;
  /** Called with progress lines (for test logs). */
  log?: (line: string) => void;
  /** Called with the client's bootstrap statuses. */
  onProgress?: (status: BootstrapStatus) => void;
}

export interface TorNet {
  /** The client tor: authenticated control connection, SOCKS listener. */
  readonly client: LaunchedTor;
  /** The client's SOCKS port on 127.0.0.1. */
  readonly socksPort: number;
  /** The network's directory (logs in `<node>/notice.log`). */
  readonly dir: string;
  /** The torrc options that put another tor on this network (for `launchTor`'s `extraConfig`). */
  readonly clientConfig: Readonly<Record<string, string | number | readonly string[]>>;
  /** Milliseconds from start until the client had bootstrapped. */
  readonly startupMs: number;
  /** Stops every tor and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

interface RelayNode {
  readonly name: string;
  readonly dir: string;
  readonly orPort: number;
  readonly dirPort?: number;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function run(file: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 30_000 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`))
        : resolve(stdout),
    );
    child.stdin?.end(input ?? '');
  });
}

/** Number of relays listed in the microdescriptor consensus an authority serves. */
function consensusRelays(dirPort: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: dirPort,
        path: '/tor/status-vote/current/consensus-microdesc',
        timeout: 3000,
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => {
          if (body.length < 4 * 1024 * 1024) body += chunk;
        });
        res.on('end', () => resolve(res.statusCode === 200 ? (body.match(/^r /gm)?.length ?? 0) : 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Number of microdescriptors a relay has cached. */
async function cachedMicrodescs(dir: string): Promise<number> {
  let count = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith('cached-microdescs')) continue;
    const text = await readFile(join(dir, name), 'latin1').catch(() => '');
    count += text.match(/^ntor-onion-key/gm)?.length ?? 0;
  }
  return count;
}

function relayTorrc(node: RelayNode, dirAuthorities: readonly string[]): string {
  const lines = [
    'TestingTorNetwork 1',
    ...dirAuthorities.map((d) => `DirAuthority ${d}`),
    `DataDirectory ${node.dir}`,
    `Log notice file ${join(node.dir, 'notice.log')}`,
    'SafeLogging 0',
    'GeoIPFile ""',
    'GeoIPv6File ""',
    `Nickname ${node.name}`,
    'Address 127.0.0.1',
    `ORPort 127.0.0.1:${node.orPort}`,
    'SocksPort 0',
    'AssumeReachable 1',
    // exits to 127.0.0.1 only: "accept *:*" is needed because policy summaries ignore private addresses,
    // and outgoing sockets are bound to loopback
    'ExitRelay 1',
    'ExitPolicyRejectPrivate 0',
    'ExitPolicy accept *:*',
    'OutboundBindAddress 127.0.0.1',
    'ServerDNSResolvConfFile /dev/null',
    'ServerDNSDetectHijacking 0',
    'ServerDNSTestAddresses',
  ];
  if (node.dirPort !== undefined) {
    lines.push(
      'AuthoritativeDirectory 1',
      'V3AuthoritativeDirectory 1',
      `DirPort 127.0.0.1:${node.dirPort}`,
      'TestingV3AuthInitialVotingInterval 5',
      'TestingV3AuthInitialVoteDelay 2',
      'TestingV3AuthInitialDistDelay 2',
      'V3AuthVotingInterval 10',
      'V3AuthVoteDelay 2',
      'V3AuthDistDelay 2',
      'TestingDirAuthVoteGuard *',
      'TestingDirAuthVoteExit *',
      'TestingDirAuthVoteHSDir *',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Creates an authority's identity/signing keys and relay fingerprint; returns its DirAuthority line. */
async function makeAuthority(node: RelayNode): Promise<string> {
  const keys = join(node.dir, 'keys');
  await mkdir(keys, { recursive: true, mode: 0o700 });
  await run(
    'tor-gencert',
    [
      '--create-identity-key',
      '--passphrase-fd',
      '0',
      '-m',
      '12',
      '-a',
      `127.0.0.1:${node.dirPort}`,
      '-i',
      join(keys, 'authority_identity_key'),
      '-s',
      join(keys, 'authority_signing_key'),
      '-c',
      join(keys, 'authority_certificate'),
    ],
    '\n',
  );
  await run('tor', [
    '--ignore-missing-torrc',
    '-f',
    '/dev/null',
    '--defaults-torrc',
    '/dev/null',
    '--DataDirectory',
    node.dir,
    '--ORPort',
    '1',
    '--Nickname',
    node.name,
    '--list-fingerprint',
    '--quiet',
  ]);
  const cert = await readFile(join(keys, 'authority_certificate'), 'utf8');
  const v3ident = /^fingerprint ([0-9A-F]{40})$/m.exec(cert)?.[1];
  const fingerprint = (await readFile(join(node.dir, 'fingerprint'), 'utf8'))
    .trim()
    .split(/\s+/)
    .slice(1)
    .join('');
  if (!v3ident || !/^[0-9A-F]{40}$/.test(fingerprint)) throw new Error(`bad keys for ${node.name}`);
  return `${node.name} orport=${node.orPort} no-v2 v3ident=${v3ident} 127.0.0.1:${node.dirPort} ${fingerprint}`;
}

/** Builds and starts the network; resolves once the client has bootstrapped to 100%. */
export async function startTorNet(options: TorNetOptions = {}): Promise<TorNet> {
  const signal = combineSignals(
    { signal: options.signal, timeoutMs: options.timeoutMs ?? 150_000 },
    'starting tornet',
  );
  const log = options.log ?? (() => {});
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'lafs-tornet-'));
  log(`directory ${dir}`);
  const processes: TorProcess[] = [];
  let client: LaunchedTor | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await client?.stop();
      await Promise.all(processes.map((p) => p.stop(5000)));
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    const nodes: RelayNode[] = [];
    for (const name of ['a1', 'a2', 'a3']) {
      nodes.push({ name, dir: join(dir, name), orPort: await freePort(), dirPort: await freePort() });
    }
    for (let k = 1; k <= (options.relays ?? 2); k++) {
      nodes.push({ name: `r${k}`, dir: join(dir, `r${k}`), orPort: await freePort() });
    }
    for (const node of nodes) await mkdir(node.dir, { recursive: true, mode: 0o700 });
    const dirAuthorities = await Promise.all(nodes.filter((n) => n.dirPort !== undefined).map(makeAuthority));
    log(`keys after ${Date.now() - started} ms`);
    for (const node of nodes) {
      const torrc = join(node.dir, 'torrc');
      await writeFile(torrc, relayTorrc(node, dirAuthorities));
      processes.push(spawnTor('tor', ['-f', torrc, '--defaults-torrc', '/dev/null']));
    }
    await Promise.all(processes.map((p) => p.spawned));
    const authority = nodes[0]!.dirPort!;
    const until = async (what: string, check: () => Promise<boolean>): Promise<void> => {
      while (!(await check())) {
        const dead = processes.findIndex((p) => p.hasExited());
        if (dead !== -1) {
          throw new Error(
            `tor ${nodes[dead]!.name} exited while ${what}:\n${processes[dead]!.lastLines().join('\n')}`,
          );
        }
        await sleep(200, signal);
      }
    };
    await until(
      'waiting for a consensus listing every relay',
      async () => (await consensusRelays(authority)) >= nodes.length,
    );
    log(`consensus with ${nodes.length} relays after ${Date.now() - started} ms`);
    // A relay serving as directory cache without all microdescriptors makes the client back off ~10 s.
    await until('waiting for relays to cache microdescriptors', async () => {
      const counts = await Promise.all(nodes.map((n) => cachedMicrodescs(n.dir)));
      return counts.every((c) => c >= nodes.length);
    });
    log(`microdescriptors cached after ${Date.now() - started} ms`);
    const clientConfig = {
      TestingTorNetwork: 1,
      DirAuthority: dirAuthorities,
      LearnCircuitBuildTimeout: 0, // learned loopback timeouts (~50 ms) misfire on a busy machine
      SafeLogging: 0,
    };
    client = await launchTor({
      dataDirectory: join(dir, 'c1'),
      extraConfig: clientConfig,
      signal,
      bootstrapTimeoutMs: 60_000,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (!client.socks || !('port' in client.socks)) throw new Error('the client has no TCP SOCKS listener');
    const startupMs = Date.now() - started;
    log(`client bootstrapped after ${startupMs} ms`);
    return { client, socksPort: client.socks.port, dir, clientConfig, startupMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
