import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { base32Encode } from '../../../src/crypto/base32.js';
import { LafsError } from '../../../src/errors.js';
import { formatIntroducerUrl } from '../../../src/node/introducer/introducer-url.js';
import { describeError, redactFields, redactText } from '../../../src/node/log/redact.js';
import { formatNurl } from '../../../src/storage/http/nurl.js';

const b32 = (n: number): string => base32Encode(randomBytes(n));
const b64 = (n: number): string => randomBytes(n).toString('base64');
/** I2P's base64 alphabet uses - and ~ instead of + and /. */
const i2p64 = (n: number): string => b64(n).replace(/\+/g, '-').replace(/\//g, '~');

/** Expects every secret to be gone from `out` and every kept part to be there. */
function check(out: string, secrets: string[], kept: string[]): void {
  for (const secret of secrets) expect(out, `leaked ${secret}`).not.to.include(secret);
  for (const part of kept) expect(out, `lost ${part}`).to.include(part);
}

describe('node log: redaction', () => {
  it('hides capabilities of every kind, keeping the type', () => {
    const key = b32(16);
    const ueb = b32(32);
    const caps = [
      `URI:CHK:${key}:${ueb}:3:10:1024`,
      `URI:SSK:${key}:${ueb}`,
      `URI:MDMF-RO:${key}:${ueb}`,
      `URI:DIR2-CHK:${key}:${ueb}:1:1:56`,
      `URI:LIT:${key}`,
    ];
    for (const cap of caps) {
      const type = cap.split(':').slice(0, 2).join(':');
      const out = redactText(`upload done: ${cap} (56 bytes)`);
      check(out, [key, ueb], [`${type}:<redacted`, 'upload done: ', '(56 bytes)']);
    }
  });

  it('hides percent-encoded caps in request paths', () => {
    const key = b32(16);
    const out = redactText(`GET /uri/URI%3ACHK%3A${key}%3A${b32(32)}%3A3%3A10%3A55?t=json 200`);
    check(out, [key], ['GET /uri/URI:CHK:<redacted', '?t=json 200']);
  });

  it('hides the swissnum of NURLs (pb, pb+tor, pb+i2p) and keeps the pinned hash and location', () => {
    const hash = Buffer.from(randomBytes(32)).toString('base64url');
    const swissnum = b32(20);
    const onion = `${b32(35).slice(0, 56)}.onion`;
    for (const host of ['127.0.0.1', onion, `${b32(32)}.b32.i2p`]) {
      const nurl = formatNurl({ spkiHash: hash, host, port: 3457, swissnum });
      check(redactText(`connecting to ${nurl} failed`), [swissnum], [hash, host, ' failed']);
    }
  });

  it('hides the swissnum of fURLs and of introducer URLs', () => {
    const swissnum = b32(20);
    const furl = `pb://${b32(20)}@tcp:storage.example:1234,tor:x.onion:80/${swissnum}`;
    check(
      redactText(`introducer.furl = ${furl}`),
      [swissnum],
      ['tcp:storage.example:1234,tor:x.onion:80/<redacted>'],
    );
    const url = formatIntroducerUrl({
      spkiHash: Buffer.from(randomBytes(32)).toString('base64url'),
      locations: [{ kind: 'tcp', host: '127.0.0.1', port: 4000 }],
      swissnum,
    });
    check(redactText(`subscribed to "${url}"`), [swissnum], ['@tcp:127.0.0.1:4000/<redacted>"']);
  });

  it('hides GBS Authorization and X-Tahoe-Authorization secrets', () => {
    const swiss = b64(20);
    const renew = b64(32);
    const cancel = b64(32);
    const upload = b64(32);
    const we = b64(32);
    const text =
      `Authorization: Tahoe-LAFS ${swiss}\nX-Tahoe-Authorization: lease-renew-secret ${renew}\n` +
      `X-Tahoe-Authorization: lease-cancel-secret ${cancel}\nX-Tahoe-Authorization: upload-secret ${upload}\n` +
      `X-Tahoe-Authorization: write-enabler ${we}`;
    check(
      redactText(text),
      [swiss, renew, cancel, upload, we],
      ['lease-renew-secret <redacted>', 'Tahoe-LAFS <redacted>'],
    );
  });

  it('hides onion service keys, the node key and I2P private keys', () => {
    const onionKey = b64(64);
    const rsa = b64(600);
    const nodeKey = b32(32);
    const priv = i2p64(700);
    const blob = i2p64(663);
    const text =
      `250-PrivateKey=ED25519-V3:${onionKey}\nADD_ONION RSA1024:${rsa} Port=80\npriv-v0-${nodeKey}\n` +
      `SESSION STATUS RESULT=OK DESTINATION=${priv}\nDEST REPLY PUB=abc PRIV=${priv}\nkey file: ${blob}`;
    const out = redactText(text);
    check(
      out,
      [onionKey, rsa, nodeKey, priv, blob],
      ['ED25519-V3:<redacted>', 'priv-v0-<redacted>', 'PUB=abc'],
    );
    expect(out).to.include('<redacted key material, ');
  });

  it('keeps ordinary text and addresses unless asked to hide addresses', () => {
    const onion = `${'a'.repeat(56)}.onion`;
    const text = `Tahoe-LAFS 1.20 server at 192.0.2.1:3457, ${onion}:80 and abc.b32.i2p answered 200 in [::1]:5`;
    expect(redactText(text)).to.equal(text);
    const hidden = redactText(text, { addresses: true });
    check(
      hidden,
      ['192.0.2.1', onion, 'abc.b32.i2p', '[::1]'],
      ['<ip>:3457', '<onion>:80', '<i2p>', 'Tahoe-LAFS 1.20'],
    );
  });

  it('hides fields named as secrets or caps, redacts nested strings, and bounds the copy', () => {
    const cap = `URI:CHK:${b32(16)}:${b32(32)}:3:10:9`;
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const out = redactFields({
      swissnum: 'abc',
      leaseRenewSecret: 'def',
      nested: { password: 'ghi', privateKeyFile: '/x', note: `cap ${cap}`, list: [cap] },
      cap,
      bytes: new Uint8Array(7),
      big: 10n,
      when: new Date(0),
      circular,
      fn: () => 1,
      long: 'x'.repeat(10_000),
    }) as Record<string, unknown>;
    const json = JSON.stringify(out);
    check(
      json,
      ['abc', 'def', 'ghi', cap.slice(8)],
      ['<7 bytes>', '"10"', '1970-01-01T00:00:00.000Z', '<circular>'],
    );
    expect(out).to.include({ swissnum: '<redacted>', leaseRenewSecret: '<redacted>' });
    expect((out.nested as Record<string, unknown>).privateKeyFile).to.equal('<redacted>');
    expect(String(out.long).length).to.be.lessThan(4200);
    expect(out).not.to.have.property('fn');
  });

  it('describes errors with code, kind and redacted causes; a stack only for bugs and foreign errors', () => {
    const key = b32(16);
    const cause = new Error(`bad cap URI:CHK:${key}:${b32(32)}:1:1:1`);
    const expected = new LafsError('ERR_X', 'network', 'timed out', { cause });
    const described = redactFields(describeError(expected)) as Record<string, unknown>;
    expect(described).to.include({ name: 'LafsError', code: 'ERR_X', kind: 'network', message: 'timed out' });
    expect(described).not.to.have.property('stack');
    expect(JSON.stringify(described.causes)).to.include('URI:CHK:<redacted').and.not.include(key);
    expect(describeError(new TypeError('oops')))
      .to.have.property('stack')
      .that.includes('TypeError: oops');
    expect(describeError(new LafsError('ERR_BUG', 'bug', 'invariant'))).to.have.property('stack');
  });
});
