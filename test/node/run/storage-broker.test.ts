import { expect } from 'chai';
import { type ClosableStorageApi, StorageBroker } from '../../../src/node/run/storage-broker.js';
import type { StorageServerInfo } from '../../../src/storage/client/server-info.js';
import { sleep } from '../../../src/util/abort.js';

const NURL = (host: string): string => `pb://${'A'.repeat(43)}@${host}:3457/swissnumsecret#v=1`;

function info(serverId: string, host: string): StorageServerInfo {
  return {
    serverId,
    nickname: serverId,
    nurls: [NURL(host)],
    permutationSeed: new Uint8Array(32),
    leaseSeed: new Uint8Array(20),
  };
}

/** A fake storage API whose getVersion answers or fails as told, counting calls and closes. */
function fakeApi(
  behaviour: { fail: boolean },
  counters: { versions: number; closed: number },
): ClosableStorageApi {
  return {
    async getVersion() {
      counters.versions++;
      if (behaviour.fail) throw new Error('connection refused');
      return {
        maximumImmutableShareSize: 1,
        maximumMutableShareSize: 1,
        availableSpace: 12345,
        applicationVersion: 'fake/1',
      };
    },
    close() {
      counters.closed++;
    },
  } as unknown as ClosableStorageApi;
}

async function until(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) await sleep(10);
  expect(probe()).to.equal(true);
}

describe('node/run: the storage broker', () => {
  it('counts a server as connected once its version answers, and shows status, space and last data', async () => {
    const behaviour = { fail: false };
    const counters = { versions: 0, closed: 0 };
    const broker = new StorageBroker({
      makeClient: () => fakeApi(behaviour, counters),
      transportOf: (host) => (host.endsWith('.onion') ? 'tor' : 'tcp'),
      now: () => 1_700_000_000_000,
    });
    broker.upsert(info('v0-a', 'example.onion'), 'static');
    expect(broker.servers()).to.have.length(0);
    broker.start();
    await until(() => broker.connectedCount === 1);
    const [shown] = broker.describe();
    expect(shown).to.include({
      serverId: 'v0-a',
      connected: true,
      connectionStatus: 'Connected via tor',
      availableSpace: 12345,
      lastReceivedData: 1_700_000_000,
      address: 'example.onion:3457',
      version: 'fake/1',
    });
    expect(JSON.stringify(broker.describe())).not.to.include('swissnumsecret');
    broker.close();
    expect(counters.closed).to.equal(1);
  });

  it('marks a failing server not connected and retries with back-off', async () => {
    const behaviour = { fail: true };
    const counters = { versions: 0, closed: 0 };
    const broker = new StorageBroker({
      makeClient: () => fakeApi(behaviour, counters),
      transportOf: () => 'tcp',
      retryDelayMs: 5,
      pollIntervalMs: 60_000,
    });
    broker.upsert(info('v0-b', '127.0.0.1'), 'introducer');
    broker.start();
    await until(() => counters.versions >= 3);
    expect(broker.connectedCount).to.equal(0);
    expect(broker.describe()[0]?.connectionStatus).to.match(/^Failed to connect via tcp: connection refused/);
    behaviour.fail = false;
    await until(() => broker.connectedCount === 1);
    broker.close();
  });

  it('keeps a static server over an introducer announcement, and replaces a client when the NURLs change', async () => {
    const counters = { versions: 0, closed: 0 };
    const broker = new StorageBroker({
      makeClient: () => fakeApi({ fail: false }, counters),
      transportOf: () => 'tcp',
    });
    broker.upsert(info('v0-c', 'static.example'), 'static');
    broker.upsert(info('v0-c', 'other.example'), 'introducer');
    expect(broker.allServers()[0]?.info.nurls[0]).to.include('static.example');
    broker.upsert(info('v0-d', 'one.example'), 'introducer');
    broker.upsert(info('v0-d', 'two.example'), 'introducer');
    expect(counters.closed).to.equal(1);
    expect(broker.allServers().map((s) => s.info.nurls[0])).to.have.length(2);
    broker.close();
  });
});
