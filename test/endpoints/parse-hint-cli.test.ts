import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliPath } from '../support/paths.js';
import { SPEC_ONIONS } from './_addresses.js';

const run = promisify(execFile);

interface Failure {
  code: number;
  stdout: string;
  stderr: string;
}

describe('lafs debug parse-hint', () => {
  it('prints the canonical and parsed form of each hint', async () => {
    const { stdout } = await run(process.execPath, [
      cliPath,
      'debug',
      'parse-hint',
      'Example.org:80',
      `tor:${SPEC_ONIONS[0]}:3457`,
    ]);
    expect(stdout).to.contain('canonical: tcp:example.org:80');
    expect(stdout).to.contain('{"scheme":"tcp","host":"example.org","port":80}');
    expect(stdout).to.contain(`canonical: tor:${SPEC_ONIONS[0]}:3457`);
  });

  it('prints JSON with --json, also for listen descriptors and locations', async () => {
    const listen = await run(process.execPath, [
      cliPath,
      'debug',
      'parse-hint',
      '--json',
      '--as',
      'listen',
      '3456,listen:tor',
    ]);
    expect(JSON.parse(listen.stdout)).to.deep.equal([
      {
        input: '3456,listen:tor',
        canonical: 'tcp:3456,listen:tor',
        parsed: [
          { scheme: 'tcp', port: 3456 },
          { scheme: 'listen', transport: 'tor' },
        ],
      },
    ]);
    const location = await run(process.execPath, [
      cliPath,
      'debug',
      'parse-hint',
      '--json',
      '--as',
      'location',
      'AUTODETECT',
    ]);
    expect(JSON.parse(location.stdout)).to.deep.equal([
      { input: 'AUTODETECT', canonical: 'AUTO', parsed: [{ type: 'auto' }] },
    ]);
  });

  it('exits 1 naming each bad hint and where it goes wrong, still printing the good ones', async () => {
    const failure = (await run(process.execPath, [
      cliPath,
      'debug',
      'parse-hint',
      'tcp:a.example:1',
      'tpc:h:1',
      'tcp:h:0',
    ]).catch((e: unknown) => e)) as Failure;
    expect(failure.code).to.equal(1);
    expect(failure.stdout).to.contain('canonical: tcp:a.example:1');
    expect(failure.stderr).to.contain('"tpc:h:1" at position 0').and.contain('did you mean "tcp"?');
    expect(failure.stderr).to.contain('"tcp:h:0" at position 6');
    expect(failure.stderr).to.contain('  tcp:h:0\n        ^');
  });

  it('reports errors as JSON too, and lets raw IPs to Tor through only with --allow-raw-ip-to-tor', async () => {
    const failure = (await run(process.execPath, [
      cliPath,
      'debug',
      'parse-hint',
      '--json',
      'tor:1.2.3.4:80',
    ]).catch((e: unknown) => e)) as Failure;
    expect(failure.code).to.equal(1);
    const [outcome] = JSON.parse(failure.stdout) as { error: { code: string; position: number } }[];
    expect(outcome?.error).to.include({ code: 'ERR_DESCRIPTOR', position: 4 });
    const ok = await run(process.execPath, [
      cliPath,
      'debug',
      'parse-hint',
      '--json',
      '--allow-raw-ip-to-tor',
      'tor:1.2.3.4:80',
    ]);
    expect(JSON.parse(ok.stdout)[0].parsed).to.deep.equal({ scheme: 'tor', host: '1.2.3.4', port: 80 });
  });
});
