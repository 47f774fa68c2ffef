import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { LAUNCH_NODE_OPTIONS, launchSettings } from '../../src/cli/launch-settings.js';
import { repoRoot } from '../support/paths.js';

const run = promisify(execFile);
const launcher = join(repoRoot, 'bin', 'lafs');
const mainScript = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

/** Runs `bin/lafs` through a symlink (as npm installs it) with a stand-in node that reports what it was given. */
async function launch(
  dir: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ arena: string; argv: string[] }> {
  const { stdout } = await run(join(dir, '.bin', 'lafs'), args, {
    env: { PATH: process.env.PATH, LAFS_NODE: join(dir, 'fake-node'), ...env },
    timeout: 10_000,
  });
  const [first, ...argv] = stdout.trimEnd().split('\n');
  return { arena: (first ?? '').replace(/^MALLOC_ARENA_MAX=/, ''), argv };
}

describe('bin/lafs launcher', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-launcher-'));
    const fake = join(dir, 'fake-node');
    await writeFile(
      fake,
      '#!/bin/sh\nprintf "MALLOC_ARENA_MAX=%s\\n" "$(printenv MALLOC_ARENA_MAX || echo unset)"\nfor a in "$@"; do printf "%s\\n" "$a"; done\n',
    );
    await chmod(fake, 0o755);
    await mkdir(join(dir, '.bin'));
    await symlink(launcher, join(dir, '.bin', 'lafs'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts node with the launch options, one malloc arena and the CLI, through a symlink', async () => {
    const { arena, argv } = await launch(dir, ['put', 'a file', '--json'], {});
    expect(arena).to.equal('1');
    expect(argv.slice(0, LAUNCH_NODE_OPTIONS.length)).to.deep.equal(LAUNCH_NODE_OPTIONS);
    const rest = argv.slice(LAUNCH_NODE_OPTIONS.length);
    expect(resolve(rest[0] ?? '')).to.equal(mainScript);
    expect(rest.slice(1)).to.deep.equal(['put', 'a file', '--json']);
  });

  it('keeps a MALLOC_ARENA_MAX the caller set', async () => {
    const { arena } = await launch(dir, [], { MALLOC_ARENA_MAX: '4' });
    expect(arena).to.equal('4');
    expect(launchSettings({ MALLOC_ARENA_MAX: '4' }).env.MALLOC_ARENA_MAX).to.equal('4');
  });

  it('starts node with its defaults when LAFS_V8_DEFAULTS=1', async () => {
    const { arena, argv } = await launch(dir, ['ls'], { LAFS_V8_DEFAULTS: '1' });
    expect(arena).to.equal('unset');
    expect(resolve(argv[0] ?? '')).to.equal(mainScript);
    expect(argv.slice(1)).to.deep.equal(['ls']);
    expect(launchSettings({ LAFS_V8_DEFAULTS: '1' })).to.deep.equal({
      nodeOptions: [],
      env: { LAFS_V8_DEFAULTS: '1' },
    });
  });

  it('agrees with launchSettings(), which the benchmarks start their children with', async () => {
    const settings = launchSettings({});
    const { arena, argv } = await launch(dir, [], {});
    expect(argv.slice(0, -1)).to.deep.equal(settings.nodeOptions);
    expect(arena).to.equal(settings.env.MALLOC_ARENA_MAX);
  });

  it('runs the real CLI with the real node', async function () {
    if (!existsSync(mainScript)) {
      console.log(`      skipped: ${mainScript} is not built (npm test builds it with tsc -p .)`);
      this.skip();
    }
    const { stdout } = await run(launcher, ['--version'], {
      env: { ...process.env, LAFS_NODE: process.execPath },
      timeout: 30_000,
    });
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(stdout.trim()).to.equal(version);
  });
});
