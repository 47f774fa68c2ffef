import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { CheckConfigJson } from '../../src/cli/commands/check-config.js';
import { cliPath } from '../support/paths.js';
import { copyFixture, tempDir } from './helpers.js';

const execFileAsync = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled `lafs` CLI (with `HOME` and the working directory at `home` when given). */
async function lafs(...args: string[]): Promise<Run> {
  return lafsIn(undefined, ...args);
}

async function lafsIn(home: string | undefined, ...args: string[]): Promise<Run> {
  const env = home === undefined ? process.env : { ...process.env, HOME: home };
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      [cliPath, ...args],
      home === undefined ? { env } : { env, cwd: home },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('lafs create-node / create-client / create-introducer / check-config', () => {
  it('create-node makes a node that check-config accepts', async () => {
    const dir = join(await tempDir(), 'storage');
    const created = await lafs('create-node', '--hostname=storage.example.net', '--nickname=s0', dir);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.contain(`Node created in ${dir}`);
    expect(created.stdout).to.contain('introducers.yaml');
    const cfg = await readFile(join(dir, 'tahoe.cfg'), 'utf8');
    expect(cfg).to.match(/tub\.location = tcp:storage\.example\.net:\d+\n/);
    const check = await lafs('check-config', dir);
    expect(check.code, check.stdout).to.equal(0);
    expect(check.stdout).to.contain('valid client configuration');
  });

  it('create-node --listen=none needs --no-storage, which disables the storage server', async () => {
    const parent = await tempDir();
    const refused = await lafs('create-node', '--listen=none', join(parent, 'a'));
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.match(/--no-storage/);
    expect(await readdir(parent)).to.deep.equal([]);
    const ok = await lafs('create-node', '--listen=none', '--no-storage', join(parent, 'b'));
    expect(ok.code, ok.stderr).to.equal(0);
    const cfg = await readFile(join(parent, 'b', 'tahoe.cfg'), 'utf8');
    expect(cfg).to.match(/\[storage\]\n[^[]*enabled = false/);
    expect(cfg).to.contain('tub.port = disabled\ntub.location = disabled\n');
  });

  it('create-client --hide-ip makes an anonymous client', async () => {
    const dir = join(await tempDir(), 'alice');
    expect((await lafs('create-client', '--hide-ip', '-n', 'alice', dir)).code).to.equal(0);
    const check = await lafs('check-config', '--json', dir);
    const json = JSON.parse(check.stdout) as CheckConfigJson;
    expect(json).to.deep.include({ valid: true, nodeType: 'client', anonymous: true, problems: [] });
  });

  it('create-introducer requires NODEDIR and makes an introducer', async () => {
    const missing = await lafs('create-introducer', '--hostname=intro.example');
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/Not enough non-option arguments|nodedir/);
    const dir = join(await tempDir(), 'intro');
    const created = await lafs('create-introducer', '--hostname=intro.example', dir);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.contain('Introducer created');
    expect((await lafs('check-config', dir)).stdout).to.contain('valid introducer configuration');
  });

  it('refuses --hide-ip --listen=tcp with exit 1 and a clear message, writing nothing', async () => {
    const parent = await tempDir();
    const run = await lafs(
      'create-node',
      '--hide-ip',
      '--listen=tcp',
      '--hostname=h.example',
      join(parent, 'n'),
    );
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/--hide-ip cannot be used with --listen=tcp/);
    expect((await lafs('check-config', join(parent, 'n'))).code).to.equal(1);
  });

  it('creates nothing (not even ~/.tahoe) after a usage error', async () => {
    const home = await tempDir();
    const target = join(home, 'n');
    for (const args of [
      ['create-client', '--bogus', target],
      ['create-node', '--hostname=h.example', 'a', 'b'],
      ['create-introducer'],
    ]) {
      const run = await lafsIn(home, ...args);
      expect(run.code, args.join(' ')).to.equal(2);
      expect(await readdir(home), args.join(' ')).to.deep.equal([]);
    }
  });

  it('refuses a non-empty NODEDIR with exit 1', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), 'x');
    const run = await lafs('create-client', dir);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/exists and is not empty/);
  });

  it('check-config lists every problem and exits 1; --json gives each with file, section, key and line', async () => {
    const dir = await copyFixture('storage');
    const cfg = join(dir, 'tahoe.cfg');
    await writeFile(
      cfg,
      '[node]\nreveal-IP-address = false\ntub.port = tcp:1234\ntub.location = AUTO\n[storage]\nreserved_space = 1 G\n[connections]\ntcp = tcp\n',
    );
    const text = await lafs('check-config', dir);
    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(/4 problems/);
    expect(text.stdout).to.match(/privacy: .*\[connections\] tcp/);
    const json = await lafs('check-config', '--json', dir);
    expect(json.code).to.equal(1);
    const out = JSON.parse(json.stdout) as CheckConfigJson;
    expect(out.valid).to.equal(false);
    expect(out.problems.map((p) => `${p.kind} ${p.section} ${p.key} ${p.line}`)).to.have.members([
      'config storage reserved_space 6',
      'privacy connections tcp 8',
      'privacy node tub.location 4',
      'privacy node tub.port 3',
    ]);
    for (const p of out.problems) expect(p.file).to.equal(cfg);
  });
});
