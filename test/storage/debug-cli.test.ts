import { execFile } from 'node:child_process';
import { closeSync, constants, copyFileSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliPath } from '../support/paths.js';
import { makeTempDir } from '../support/temp-dirs.js';
import { gridDir, loadManifest } from './support/tahoe-grid.js';

const run = promisify(execFile);
const file = loadManifest().files.find((f) => f.dir === 'chk-204800');

describe('lafs debug dump-cap / dump-share', () => {
  if (!file) throw new Error('fixture chk-204800 missing from the manifest');

  it('dump-cap --json shows the fields, storage index and verify cap', async () => {
    const { stdout } = await run(process.execPath, [cliPath, 'debug', 'dump-cap', '--json', file.cap]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.kind).to.equal('CHK');
    expect(out.storageIndex).to.equal(file.storage_index);
    expect(out.verifyCap).to.match(new RegExp(`^URI:CHK-Verifier:${file.storage_index}:`));
    expect((out.fields as Record<string, unknown>).size).to.equal(204800);
  });

  it('dump-cap derives the read-only cap of a mutable write cap', async () => {
    const sdmf = loadManifest().files.find((f) => f.kind === 'sdmf');
    if (!sdmf) throw new Error('fixture sdmf missing');
    const { stdout } = await run(process.execPath, [cliPath, 'debug', 'dump-cap', sdmf.cap]);
    expect(stdout).to.match(/readOnlyCap: URI:SSK-RO:/);
    expect(stdout).to.include(`storageIndex: ${sdmf.storage_index}`);
  });

  it('dump-cap exits 1 naming the bad field', async () => {
    const bad = file.cap.replace(/:3:10:/, ':3:x:');
    const error = await run(process.execPath, [cliPath, 'debug', 'dump-cap', bad]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).to.have.property('code', 1);
    expect((error as { stderr: string }).stderr).to.match(/field "total"/);
    expect((error as { stderr: string }).stderr).to.not.include(file.cap.slice(8, 34));
  });

  it('dump-share --json reads a real Tahoe container and gives the verify cap', async () => {
    const dir = join(makeTempDir('lafs-dump-'), file.storage_index);
    mkdirSync(dir);
    copyFileSync(join(gridDir, file.dir, 'share-4'), join(dir, '4'));
    const { stdout } = await run(process.execPath, [
      cliPath,
      'debug',
      'dump-share',
      '--json',
      join(dir, '4'),
    ]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.form).to.equal('container');
    expect((out.uriExtension as Record<string, unknown>).size).to.equal(204800);
    expect(out.uebHash).to.equal(file.cap.split(':')[3]);
    expect(out.verifyCap).to.match(/^URI:CHK-Verifier:/);
    expect(out.leases).to.have.length(1);
  });

  it('dump-share says a mutable container is not an immutable share', async () => {
    const error = await run(process.execPath, [
      cliPath,
      'debug',
      'dump-share',
      join(gridDir, 'sdmf-5000', 'share-0'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(error).to.have.property('code', 1);
    expect((error as { stderr: string }).stderr).to.match(/mutable/);
  });

  it('dump-share exits 1 on a file that is not a share', async () => {
    const path = join(makeTempDir('lafs-dump-'), 'junk');
    copyFileSync(join(gridDir, 'manifest.json'), path);
    const error = await run(process.execPath, [cliPath, 'debug', 'dump-share', path]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).to.have.property('code', 1);
    expect((error as { stderr: string }).stderr).to.match(/version/);
  });

  it('dump-share refuses what is not a regular file instead of reading it without end', async () => {
    // A FIFO with no writer (opening it would wait), then one whose writer stays silent (reading would wait).
    const path = join(makeTempDir('lafs-dump-'), 'fifo');
    await run('mkfifo', [path]);
    const dump = () =>
      run(process.execPath, [cliPath, 'debug', 'dump-share', path], { timeout: 5_000 }).catch(
        (e: { code: number; stderr: string }) => e,
      );
    for (const withWriter of [false, true]) {
      const writer = withWriter ? openSync(path, constants.O_RDWR) : undefined;
      try {
        const error = await dump();
        expect(error, `writer open: ${withWriter}`).to.have.property('code', 1);
        expect((error as { stderr: string }).stderr).to.include(`${path} is not a regular file`);
      } finally {
        if (writer !== undefined) closeSync(writer);
      }
    }
  });
});
