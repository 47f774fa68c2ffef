/**
 * A web gateway over a real local grid of 5 HTTPS storage servers on 127.0.0.1, with a backend built the way
 * a node would build one.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayBackend, GatewayLimits, WelcomeInfo } from '../../../src/node/gateway/index.js';
import { startWebGateway, type WebGateway } from '../../../src/node/gateway/index.js';
import { redactCap } from '../../../src/storage/caps/redact.js';
import { LeaseSecrets } from '../../../src/storage/client/lease-secrets.js';
import { type LocalGrid, startLocalGrid } from '../../support/local-grid.js';

/** A running gateway, its grid and its temporary directory. */
export interface GatewayFixture {
  grid: LocalGrid;
  gateway: WebGateway;
  tmpDir: string;
  close(): Promise<void>;
}

/** Starts 5 storage servers and a gateway over them (k=3, happy=5, N=10). */
export async function startGatewayFixture(limits: Partial<GatewayLimits> = {}): Promise<GatewayFixture> {
  const grid = await startLocalGrid(5);
  const tmpDir = await mkdtemp(join(tmpdir(), 'lafs-gateway-test-'));
  const clients = grid.clients();
  const backend: GatewayBackend = {
    servers: () => clients,
    encoding: { needed: 3, happy: 5, total: 10 },
    convergenceSecret: randomBytes(16),
    leaseSecrets: new LeaseSecrets(randomBytes(32)),
    tmpDir,
    welcome: (): WelcomeInfo => ({
      nickname: 'test-node',
      nodeId: 'v0-testnode',
      version: 'lafs/test',
      introducers: [],
      servers: grid.servers.map((s, i) => ({
        serverId: `storage${i}`,
        nickname: `storage${i}`,
        address: redactCap(s.nurl),
        connected: true,
        connectionStatus: 'Connected to 127.0.0.1',
        lastReceivedData: 1_700_000_000,
        availableSpace: 1_000_000_000,
      })),
    }),
  };
  const gateway = await startWebGateway({ backend, limits });
  return {
    grid,
    gateway,
    tmpDir,
    close: async () => {
      await gateway.close();
      await grid.close();
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}
