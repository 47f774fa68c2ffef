import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliPath } from '../support/paths.js';

const run = promisify(execFile);

/** A stand-in gateway answering `/?t=json` and `/status?t=json` with the given JSON texts. */
async function stubGateway(welcome: string, status: string): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/status') ? status : welcome);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

describe('lafs status', function () {
  this.timeout(20_000);

  it('answers that do not have the shape of a gateway status are an error naming them, not a crash', async () => {
    for (const [welcome, status, named] of [
      ['null', '{}', /answer to \/\?t=json is not a JSON object/],
      ['{"servers": {"a": 1}}', '{}', /"servers" is not a list of objects/],
      ['{"servers": [null]}', '{}', /"servers" is not a list of objects/],
      ['{}', '{"active": 3}', /"active" is not a list of objects/],
    ] as const) {
      const server = await stubGateway(welcome, status);
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        const result = await run(process.execPath, [cliPath, 'status', '--node-url', url]).then(
          () => ({ code: 0, stderr: '' }),
          (e: { code: number; stderr: string }) => e,
        );
        expect(result.code, welcome).to.equal(1);
        expect(result.stderr, welcome)
          .to.match(named)
          .and.not.match(/TypeError/);
      } finally {
        server.close();
      }
    }
  });

  it('still reads a well-formed answer', async () => {
    const server = await stubGateway(
      '{"nickname": "n", "introducers": {"statuses": ["ok"]}, "servers": [{"nickname": "s", "connected": true}]}',
      '{"active": [], "recent": [{"id": 1, "type": "upload", "state": "done", "progress": 1}]}',
    );
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const { stdout } = await run(process.execPath, [cliPath, 'status', '--node-url', url]);
      expect(stdout).to.include('Storage servers: 1 of 1 connected').and.include('Recent transfers: 1');
    } finally {
      server.close();
    }
  });
});
