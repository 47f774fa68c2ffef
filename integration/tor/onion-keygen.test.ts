import { expect } from 'chai';
import { openTorControl } from '../../src/tor/connect.js';
import type { TorControlClient } from '../../src/tor/control-client.js';
import { addOnion, delOnion } from '../../src/tor/onion-commands.js';
import { mintOnionKey } from '../../src/tor/onion-keygen.js';
import { type StandaloneTor, startStandaloneTor } from '../support/tor-standalone.js';

describe('locally minted onion keys against a real tor (DisableNetwork 1)', function () {
  this.timeout(30_000);
  let tor: StandaloneTor;
  let control: TorControlClient;
  before(async () => {
    tor = await startStandaloneTor({ type: 'cookie' });
    control = (await openTorControl(`tcp:127.0.0.1:${tor.controlPort}`, { timeoutMs: 10_000 })).control;
  });
  after(async () => {
    await control?.close();
    await tor?.stop();
  });

  it('ADD_ONION with our key returns exactly the service id we derived, for many keys', async () => {
    for (let i = 0; i < 25; i++) {
      const minted = mintOnionKey();
      const result = await addOnion(control, {
        key: minted.privateKey,
        ports: [{ virtualPort: 3457, target: { host: '127.0.0.1', port: 40_000 + i } }],
      });
      expect(result.serviceId).to.equal(minted.serviceId);
      expect(result.privateKey).to.equal(undefined); // tor echoes no key it was given
      await delOnion(control, result.serviceId);
    }
  });

  it('a key minted by tor and one minted by us are the same kind of blob (tor re-serves its own key)', async () => {
    const fromTor = await addOnion(control, { key: 'NEW', ports: [{ virtualPort: 1 }] });
    await delOnion(control, fromTor.serviceId);
    const again = await addOnion(control, { key: fromTor.privateKey!, ports: [{ virtualPort: 1 }] });
    expect(again.serviceId).to.equal(fromTor.serviceId);
    await delOnion(control, again.serviceId);
  });
});
