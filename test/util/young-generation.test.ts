import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const moduleUrl = new URL('../../src/util/young-generation.js', import.meta.url).href;

/**
 * A child process that keeps many young objects alive across scavenges (what makes V8 grow its young
 * generation) and reports the new space's size in MiB.
 */
async function newSpaceMiB(env: NodeJS.ProcessEnv): Promise<number> {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { pinYoungGeneration } from ${JSON.stringify(moduleUrl)};
    pinYoungGeneration();
    let keep = [];
    for (let i = 0; i < 400000; i++) {
      keep.push({ i, s: 'x' + i });
      if (keep.length > 50000) keep = keep.slice(25000);
    }
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.space_size / 1048576);
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return Number(stdout.trim());
}

describe('pinYoungGeneration', () => {
  it('keeps the young generation at its initial size where V8 would grow it', async () => {
    const pinned = await newSpaceMiB({ LAFS_V8_DEFAULTS: '' });
    const grown = await newSpaceMiB({ LAFS_V8_DEFAULTS: '1' });
    expect(grown, 'V8 grows it by default (else this test cannot fail)').to.be.greaterThan(2);
    expect(pinned).to.be.at.most(2);
  });
});
