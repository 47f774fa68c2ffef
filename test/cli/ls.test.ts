import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { loadManifest } from '../storage/support/tahoe-grid.js';
import { cliPath } from '../support/paths.js';

const run = promisify(execFile);

describe('lafs ls', function () {
  this.timeout(20_000);

  it('a gateway answering ["filenode", null] is an error naming the expected shape, not a crash', async () => {
    const cap = loadManifest().files.find((f) => f.kind !== 'sdmf')?.cap;
    if (cap === undefined) throw new Error('no immutable fixture in the manifest');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('["filenode", null]');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const result = await run(process.execPath, [cliPath, 'ls', '--node-url', url, cap]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(result.code).to.equal(1);
      expect(result.stderr)
        .to.match(/did not describe a file/)
        .and.not.match(/TypeError/);
    } finally {
      server.close();
    }
  });
});
