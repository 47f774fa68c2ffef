import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { expect } from 'chai';
import { sleep } from '../../../src/util/abort.js';
import { type GatewayFixture, startGatewayFixture } from './gateway-fixture.js';

/** Starts a PUT whose body is sent in two halves; `finish()` sends the second. Resolves with status or error. */
function slowPut(url: URL): { result: Promise<number | string>; finish(): void } {
  const body = randomBytes(200_000);
  const req = request(url, { method: 'PUT', headers: { 'content-length': String(body.length) } });
  const result = new Promise<number | string>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  req.write(body.subarray(0, 100_000));
  return { result, finish: () => req.end(body.subarray(100_000)) };
}

describe('web gateway: stopping with transfers in flight', function () {
  this.timeout(60_000);
  let fx: GatewayFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  it('close({ drainMs }) lets an upload in flight finish, and refuses new connections meanwhile', async () => {
    fx = await startGatewayFixture();
    const put = slowPut(new URL('uri', fx.gateway.url));
    await sleep(200);
    const closing = fx.gateway.close({ drainMs: 20_000 });
    await sleep(100);
    const late = await fetch(new URL('?t=json', fx.gateway.url)).then(
      () => 'answered',
      () => 'refused',
    );
    expect(late).to.equal('refused');
    put.finish();
    expect(await put.result).to.be.oneOf([200, 201]);
    await closing;
  });

  it('close() without a drain aborts an upload in flight', async () => {
    fx = await startGatewayFixture();
    const put = slowPut(new URL('uri', fx.gateway.url));
    await sleep(200);
    await fx.gateway.close();
    put.finish();
    expect(await put.result).to.not.be.oneOf([200, 201]);
  });
});
