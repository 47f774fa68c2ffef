import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x25519 } from '@noble/curves/ed25519.js';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { getInfoOne } from '../../src/tor/commands.js';
import { openTorControl } from '../../src/tor/connect.js';
import type { TorControlClient } from '../../src/tor/control-client.js';
import { OnionKeyError, TorControlError } from '../../src/tor/errors.js';
import { isOnionAddress, serviceIdFromPrivateKey } from '../../src/tor/onion-address.js';
import {
  addOnion,
  delOnion,
  onionClientAuthAdd,
  onionClientAuthRemove,
} from '../../src/tor/onion-commands.js';
import { readOnionKeyFile, writeOnionKeyFile } from '../../src/tor/onion-key-file.js';
import { addOnionService, waitForPublished } from '../../src/tor/onion-service.js';
import { type StandaloneTor, startStandaloneTor } from '../support/tor-standalone.js';

/** base32 (RFC 4648, no padding) of an x25519 public key, the form ClientAuthV3 takes. */
function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

describe('onion services against a real tor (DisableNetwork 1)', function () {
  this.timeout(30_000);
  let tor: StandaloneTor;
  let control: TorControlClient;
  let dir: string;
  before(async () => {
    tor = await startStandaloneTor({ type: 'cookie' });
    control = (await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, { timeoutMs: 10_000 })).control;
    dir = mkdtempSync(join(tmpdir(), 'lafs-onion-'));
  });
  after(async () => {
    await control?.close();
    await tor?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mints a NEW key at once (no waiting for publication) and the key derives the service id', async () => {
    const started = Date.now();
    const service = await addOnionService(control, {
      virtualPort: 3457,
      target: { host: '127.0.0.1', port: 40001 },
    });
    const elapsed = Date.now() - started;
    expect(isOnionAddress(service.serviceId)).to.equal(true);
    expect(service.onionAddress).to.equal(`${service.serviceId}.onion`);
    expect(serviceIdFromPrivateKey(service.privateKey!)).to.equal(service.serviceId);
    expect(await getInfoOne(control, 'onions/current')).to.include(service.serviceId);
    console.log(`      ADD_ONION NEW answered in ${elapsed} ms`);
    await delOnion(control, service.serviceId);
  });

  it('re-creates the same service from a stored key file, then DEL_ONION removes it', async () => {
    const minted = await addOnionService(control, {
      virtualPort: 80,
      target: { unixPath: join(dir, 'web.sock') },
    });
    await delOnion(control, minted.serviceId);
    const keyFile = join(dir, 'tor_onion.privkey');
    await writeOnionKeyFile(keyFile, minted.privateKey!);
    const again = await addOnionService(control, {
      virtualPort: 80,
      target: { host: '127.0.0.1', port: 40002 },
      key: (await readOnionKeyFile(keyFile)).text,
      maxStreams: 10,
    });
    expect(again.serviceId).to.equal(minted.serviceId);
    expect(again.privateKey).to.equal(undefined);
    const collision = await addOnion(control, {
      key: minted.privateKey!,
      ports: [{ virtualPort: 81 }],
    }).catch((e: unknown) => e);
    expect(collision).to.be.instanceOf(TorControlError).and.include({ status: 550, command: 'ADD_ONION' });
    await delOnion(control, again.serviceId);
    expect(await getInfoOne(control, 'onions/current')).to.not.include(again.serviceId);
    const gone = await delOnion(control, again.serviceId).catch((e: unknown) => e);
    expect(gone).to.be.instanceOf(TorControlError).with.property('status', 552);
  });

  it('passes several flags, ports and client-auth keys; detached services outlive the connection', async () => {
    const clientKey = x25519.getPublicKey(x25519.utils.randomSecretKey());
    const other = (await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, { timeoutMs: 10_000 })).control;
    const result = await addOnion(other, {
      key: 'NEW',
      flags: ['Detach', 'DiscardPK'],
      ports: [{ virtualPort: 80, target: { host: '127.0.0.1', port: 40003 } }, { virtualPort: 443 }],
      clientAuthV3: [base32(clientKey)],
    });
    expect(result.privateKey).to.equal(undefined);
    await other.close();
    expect(await getInfoOne(control, 'onions/detached')).to.include(result.serviceId);
    await delOnion(control, result.serviceId);
  });

  it('adds and removes client credentials for a service', async () => {
    const service = await addOnionService(control, {
      virtualPort: 1,
      target: { host: '127.0.0.1', port: 40004 },
    });
    await onionClientAuthAdd(control, {
      address: service.onionAddress,
      privateKey: x25519.utils.randomSecretKey(),
      clientName: 'lafs-test',
    });
    expect(
      await control.request('ONION_CLIENT_AUTH_VIEW').then((r) => r.lines.map((l) => l.text).join('\n')),
    ).to.include(service.serviceId);
    await onionClientAuthRemove(control, service.serviceId);
    await delOnion(control, service.serviceId);
  });

  it('turns Tor error replies and bad arguments into typed errors', async () => {
    const noPort = await control.request('ADD_ONION NEW:ED25519-V3').catch((e: unknown) => e);
    expect(noPort).to.be.instanceOf(TorControlError).with.property('status', 512);
    const badType = await control.request('ADD_ONION NEW:RSA2048 Port=80').catch((e: unknown) => e);
    expect(badType).to.be.instanceOf(TorControlError).with.property('status', 513);
    const badKey = await addOnionService(control, {
      virtualPort: 80,
      target: { host: '127.0.0.1', port: 1 },
      key: 'ED25519-V3:not-a-key',
    }).catch((e: unknown) => e);
    expect(badKey).to.be.instanceOf(OnionKeyError);
    expect(await addOnion(control, { key: 'NEW', ports: [] }).catch((e: unknown) => e)).to.be.instanceOf(
      RangeError,
    );
    const badHost = await addOnionService(control, {
      virtualPort: 80,
      target: { host: 'example.com', port: 80 },
    }).catch((e: unknown) => e);
    expect(badHost).to.be.instanceOf(RangeError);
  });

  it('waitForPublished times out while the network is disabled (no descriptor is ever uploaded)', async () => {
    const service = await addOnionService(control, {
      virtualPort: 2,
      target: { host: '127.0.0.1', port: 40005 },
    });
    const error = await waitForPublished(control, service.serviceId, { timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AbortError);
    await delOnion(control, service.serviceId);
  });
});
