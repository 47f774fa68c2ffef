import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliPath, repoRoot } from '../support/paths.js';

const run = promisify(execFile);

describe('lafs --version', () => {
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
    .version;

  it('prints just the version', async () => {
    const { stdout } = await run(process.execPath, [cliPath, '--version']);
    expect(stdout.trim()).to.equal(version);
  });

  it('--version-and-path lists lafs, node and every dependency with a path', async () => {
    const { stdout } = await run(process.execPath, [cliPath, '--version-and-path', '--json']);
    const infos = JSON.parse(stdout) as { name: string; version: string; path: string }[];
    const names = infos.map((i) => i.name);
    expect(names.slice(0, 2)).to.deep.equal(['lafs', 'node']);
    const deps = Object.keys(
      (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: object })
        .dependencies,
    );
    expect(names).to.include.members(deps);
    for (const info of infos) expect(info.version, info.name).to.not.equal('not installed');
  });

  it('exits 2 with a usage message for an unknown command', async () => {
    const error = await run(process.execPath, [cliPath, 'frobnicate']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).to.have.property('code', 2);
    expect((error as { stderr: string }).stderr).to.match(/Unknown argument|frobnicate/);
  });
});
