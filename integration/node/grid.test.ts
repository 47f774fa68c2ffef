/**
 * The whole product through real processes: an introducer, four storage nodes and a client created with the CLI
 * and run with `lafs run`, files put and got with the CLI, the welcome page checked, a storage node killed, and
 * every node restarted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { eventually, killAll, lafsOk, type NodeProcess, startNodeProcess } from '../support/node-process.js';

const STORAGE_NODES = 4;
const SIZES = [0, 55, 56, 1024 * 1024, 100 * 1024 * 1024];

async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(4 * 1024 * 1024, size - written));
      hash.update(chunk);
      await handle.write(chunk);
      written += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface WelcomeJson {
  introducers: { statuses: string[] };
  servers: {
    nickname: string;
    connected: boolean;
    available_space: number | null;
    last_received_data: number | null;
  }[];
}

async function welcome(clientDir: string): Promise<WelcomeJson> {
  const url = (await readFile(join(clientDir, 'node.url'), 'utf8')).trim();
  const response = await fetch(new URL('?t=json', url), { signal: AbortSignal.timeout(10_000) });
  expect(response.status).to.equal(200);
  return (await response.json()) as WelcomeJson;
}

async function waitForServers(clientDir: string, count: number): Promise<WelcomeJson> {
  return eventually(
    `${count} connected storage servers`,
    async () => {
      const page = await welcome(clientDir);
      return page.servers.filter((s) => s.connected).length >= count ? page : undefined;
    },
    60_000,
  );
}

describe('integration/node: a grid of lafs processes', function () {
  this.timeout(600_000);
  let dir: string;
  let introducer: NodeProcess;
  let storage: NodeProcess[] = [];
  let client: NodeProcess;
  const files: { size: number; path: string; sha256: string; cap: string }[] = [];

  const startAll = async (): Promise<void> => {
    introducer = await startNodeProcess(join(dir, 'introducer'));
    storage = await Promise.all(
      Array.from({ length: STORAGE_NODES }, (_, i) => startNodeProcess(join(dir, `storage${i}`))),
    );
    client = await startNodeProcess(join(dir, 'client'));
    await waitForServers(join(dir, 'client'), STORAGE_NODES);
  };

  const getAndCheck = async (file: (typeof files)[number]): Promise<void> => {
    const out = `${file.path}.out`;
    await rm(out, { force: true });
    await lafsOk(['get', '-d', join(dir, 'client'), file.cap, out], { timeoutMs: 300_000 });
    expect((await stat(out)).size, `size of ${file.size}-byte file`).to.equal(file.size);
    expect(await sha256File(out), `content of ${file.size}-byte file`).to.equal(file.sha256);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-e2e-'));
    await lafsOk(['create-introducer', '--hostname=127.0.0.1', join(dir, 'introducer')]);
    introducer = await startNodeProcess(join(dir, 'introducer'));
    const furl = (await readFile(join(dir, 'introducer', 'private', 'introducer.furl'), 'utf8')).trim();
    expect(furl).to.match(/^pb:\/\/[A-Za-z0-9_-]{43}@tcp:127\.0\.0\.1:\d+\/[a-z2-7]+$/);
    await introducer.stop();
    const common = [`--introducer=${furl}`, '--webport=tcp:0:interface=127.0.0.1', '--shares-happy=4'];
    for (let i = 0; i < STORAGE_NODES; i++)
      await lafsOk([
        'create-node',
        '--hostname=127.0.0.1',
        `--nickname=storage${i}`,
        ...common,
        join(dir, `storage${i}`),
      ]);
    await lafsOk(['create-client', '--nickname=client', ...common, join(dir, 'client')]);
  });

  after(async () => {
    killAll();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('starts every node; the client sees every storage server and the introducer on its welcome page', async () => {
    await startAll();
    const page = await welcome(join(dir, 'client'));
    expect(page.introducers.statuses).to.deep.equal(['Connected']);
    expect(page.servers.map((s) => s.nickname).sort()).to.deep.equal(
      Array.from({ length: STORAGE_NODES }, (_, i) => `storage${i}`),
    );
    for (const server of page.servers) {
      expect(server.connected).to.equal(true);
      expect(server.available_space).to.be.a('number').above(0);
      expect(server.last_received_data).to.be.a('number');
    }
  });

  it('puts and gets files of 0 B, 55 B, 56 B, 1 MiB and 100 MiB', async () => {
    for (const size of SIZES) {
      const path = join(dir, `file-${size}`);
      const sha256 = await writeRandomFile(path, size);
      const cap = (await lafsOk(['put', '-d', join(dir, 'client'), path], { timeoutMs: 300_000 })).trim();
      expect(cap).to.match(size <= 55 ? /^URI:LIT:/ : /^URI:CHK:/);
      files.push({ size, path, sha256, cap });
      await getAndCheck(files[files.length - 1]!);
    }
  });

  it('still gets every file after a storage node is killed', async () => {
    const victim = storage[0]!;
    await victim.stop('SIGKILL');
    for (const file of files) await getAndCheck(file);
  });

  it('stops every node cleanly and gets every file after restarting them', async () => {
    for (const node of [client, ...storage.slice(1), introducer]) {
      expect(await node.stop('SIGTERM'), `exit code of ${node.nodeDir}`).to.equal(0);
      expect(node.output).to.match(/stopped/);
    }
    await startAll();
    for (const file of files) await getAndCheck(file);
  });

  it("keeps logs in NODEDIR/logs without the introducer's secret or any file's cap", async () => {
    const furl = (await readFile(join(dir, 'introducer', 'private', 'introducer.furl'), 'utf8')).trim();
    const swissnum = furl.slice(furl.lastIndexOf('/') + 1);
    for (const node of ['introducer', 'client', 'storage1']) {
      const log = await readFile(join(dir, node, 'logs', 'lafs.log'), 'utf8');
      expect(log, `${node} log`).to.match(/node started/);
      expect(log, `${node} log`).not.to.include(swissnum);
      for (const file of files) if (file.size > 0) expect(log, `${node} log`).not.to.include(file.cap);
    }
  });

  it('refuses a second lafs run in the same node directory', async () => {
    const again = startNodeProcess(join(dir, 'client'), 30_000);
    const error = await again.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.match(/already running/);
  });

  it('lafs stop stops a running node', async () => {
    await lafsOk(['stop', join(dir, 'client')]);
    expect(await client.exited).to.equal(0);
  });
});
