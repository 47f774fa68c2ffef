import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliPath } from '../support/paths.js';

const run = promisify(execFile);

describe('lafs demo', function () {
  this.timeout(60_000);

  it('runs a 5-server grid on loopback, round-trips a file and reports it verified (--json)', async () => {
    const { stdout } = await run(process.execPath, [cliPath, 'demo', '--size', '3000000', '--json']);
    const report = JSON.parse(stdout) as {
      cap: string;
      size: number;
      verified: boolean;
      happiness: number;
      servers: { nurl: string; shares: number[] }[];
    };
    expect(report.verified).to.equal(true);
    expect(report.size).to.equal(3_000_000);
    expect(report.cap).to.match(/^URI:CHK:[a-z2-7]+:[a-z2-7]+:3:10:3000000$/);
    expect(report.happiness).to.equal(5);
    expect(report.servers).to.have.length(5);
    for (const s of report.servers)
      expect(s.nurl).to.match(/^pb:\/\/[A-Za-z0-9_-]{43}@127\.0\.0\.1:\d+\/[a-z2-7]+#v=1$/);
    expect(report.servers.flatMap((s) => s.shares).sort((a, b) => a - b)).to.deep.equal([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('rejects a bad --size with a usage error', async () => {
    const error = await run(process.execPath, [cliPath, 'demo', '--size', '-5']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).to.have.property('code', 2);
    expect((error as { stderr: string }).stderr).to.match(/--size must be a byte count, got -5/);
  });
});
