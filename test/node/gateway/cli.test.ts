import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cliPath } from '../../support/paths.js';
import { type GatewayFixture, startGatewayFixture } from './gateway-fixture.js';

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the compiled CLI with `args`, feeding `stdin`. */
function lafs(args: string[], stdin?: Uint8Array): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }),
    );
    child.stdin.end(stdin);
  });
}

describe('lafs put / get / ls / status against a gateway', function () {
  this.timeout(120_000);
  let fx: GatewayFixture;
  let dir: string;
  let url: string;
  before(async () => {
    fx = await startGatewayFixture();
    url = fx.gateway.url;
    dir = await mkdtemp(join(tmpdir(), 'lafs-cli-test-'));
  });
  after(async () => {
    await fx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('put FILE prints the cap; get CAP FILE writes the same bytes', async () => {
    const data = randomBytes(700_000);
    const src = join(dir, 'in.bin');
    await writeFile(src, data);
    const put = await lafs(['put', src, '--node-url', url]);
    expect(put.code, put.stderr).to.equal(0);
    const cap = put.stdout.toString().trim();
    expect(cap).to.match(/^URI:CHK:/);
    const dst = join(dir, 'out.bin');
    const get = await lafs(['get', cap, dst, '--node-url', url]);
    expect(get.code, get.stderr).to.equal(0);
    expect((await readFile(dst)).equals(data)).to.equal(true);
  });

  it('put from stdin and get to stdout, with the node directory holding node.url', async () => {
    const nodeDir = join(dir, 'node');
    await mkdir(nodeDir);
    await writeFile(join(nodeDir, 'node.url'), `${url}\n`);
    const data = randomBytes(120_000);
    const put = await lafs(['put', '-d', nodeDir], data);
    expect(put.code, put.stderr).to.equal(0);
    const cap = put.stdout.toString().trim();
    const get = await lafs(['get', cap, '--node-directory', nodeDir]);
    expect(get.code, get.stderr).to.equal(0);
    expect(get.stdout.equals(data)).to.equal(true);
  });

  it('put --json prints the cap and size', async () => {
    const put = await lafs(['put', '--json', '--node-url', url], Buffer.from('short'));
    expect(put.code, put.stderr).to.equal(0);
    const out = JSON.parse(put.stdout.toString()) as { cap: string; size: number };
    expect(out.size).to.equal(5);
    expect(out.cap).to.match(/^URI:LIT:/);
  });

  it('ls CAP shows the details; --json gives the t=json answer', async () => {
    const put = await lafs(['put', '--node-url', url], randomBytes(1234));
    const cap = put.stdout.toString().trim();
    const ls = await lafs(['ls', cap, '--node-url', url]);
    expect(ls.code, ls.stderr).to.equal(0);
    const text = ls.stdout.toString();
    expect(text)
      .to.match(/format: +CHK/)
      .and.to.match(/size: +1234 bytes/)
      .and.to.contain(cap);
    expect(text).to.match(/verify cap: +URI:CHK-Verifier:/);
    const json = await lafs(['ls', cap, '--json', '--node-url', url]);
    const [kind, info] = JSON.parse(json.stdout.toString()) as [string, { size: number; ro_uri: string }];
    expect(kind).to.equal('filenode');
    expect(info).to.include({ size: 1234, ro_uri: cap });
  });

  it('status lists the servers and transfers; --json is structured', async () => {
    const status = await lafs(['status', '--node-url', url]);
    expect(status.code, status.stderr).to.equal(0);
    const text = status.stdout.toString();
    expect(text).to.contain('Storage servers: 5 of 5 connected').and.to.contain('storage3');
    expect(text).to.match(/Recent transfers: [1-9]/);
    const json = await lafs(['status', '--json', '--node-url', url]);
    const parsed = JSON.parse(json.stdout.toString()) as {
      welcome: { servers: unknown[] };
      transfers: { recent: { type: string }[] };
    };
    expect(parsed.welcome.servers).to.have.length(5);
    expect(parsed.transfers.recent.map((t) => t.type))
      .to.include('upload')
      .and.to.include('download');
  });

  it('a malformed cap: exit 1 naming the problem, the cap redacted', async () => {
    const run = await lafs(['get', 'URI:CHK:secretpart!!:x:3:10:99', '--node-url', url]);
    expect(run.code).to.equal(1);
    expect(run.stderr)
      .to.match(/^lafs: /)
      .and.not.to.contain('secretpart');
  });

  it("a file the grid does not have: exit 1 with the gateway's 410 text", async () => {
    const run = await lafs([
      'get',
      `URI:CHK:${'a'.repeat(26)}:${'a'.repeat(52)}:3:10:1000`,
      '--node-url',
      url,
    ]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('410').and.to.contain('NotEnoughSharesError');
  });

  it('no node to talk to: exit 1 naming node.url', async () => {
    const run = await lafs(['status', '-d', join(dir, 'no-such-node')]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain(join(dir, 'no-such-node', 'node.url'));
  });

  it('usage errors exit 2', async () => {
    expect((await lafs(['get', '--node-url', url])).code).to.equal(2);
    expect((await lafs(['put', 'a', 'b', '--node-url', url])).code).to.equal(2);
    expect((await lafs(['ls'])).code).to.equal(2);
  });
});
