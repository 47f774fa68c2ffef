/**
 * The integration tests' private I2P network: ONE i2pd on 127.0.0.1 in isolated mode (private netid, no
 * reseed, its own floodfill), launched in a temporary directory and removed afterwards.
 *
 * Several i2pd routers on loopback cannot talk to each other in 2.45, so tests use one router with several SAM
 * sessions (see shared/i2p/NOTES.md).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type I2pdRouter, launchI2pd } from '../../src/i2p/i2pd-launcher.js';
import { SamClient } from '../../src/i2p/sam-client.js';

/** Zero-hop tunnels: on a one-router network SESSION CREATE never answers without them. */
export const ZERO_HOP_OPTIONS = { 'inbound.length': 0, 'outbound.length': 0 } as const;

/**
 * For sessions that are connected to (ACCEPT/FORWARD): i2pd 2.45 cannot use a LeaseSet2 from its own floodfill,
 * so the acceptor publishes an old-style LeaseSet.
 */
export const ACCEPTOR_OPTIONS = {
  ...ZERO_HOP_OPTIONS,
  'i2cp.leaseSetType': 1,
  'i2cp.leaseSetEncType': 0,
} as const;

/** A running isolated router and a SAM client for it. */
export interface TestI2pNetwork {
  router: I2pdRouter;
  client: SamClient;
  /** Stops i2pd and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** The i2pd executable for tests (`LAFS_I2PD` overrides), or `undefined` when none is installed. */
export function findI2pd(): string | undefined {
  const candidates = [process.env.LAFS_I2PD, '/usr/sbin/i2pd', '/usr/bin/i2pd', '/usr/local/bin/i2pd'];
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}

/**
 * The i2pd executable for a suite's `before` hook; without one, prints why and skips the suite (`context.skip()`
 * throws, so the caller never sees `undefined`).
 */
export function i2pdOrSkip(context: Mocha.Context): string {
  const executable = findI2pd();
  if (executable === undefined) {
    console.log('    skipped: no i2pd executable (install i2pd or set LAFS_I2PD)');
    context.skip();
  }
  return executable;
}

/** Launches the isolated router in a fresh temporary directory. */
export async function startTestI2pNetwork(executable: string): Promise<TestI2pNetwork> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lafs-i2pd-'));
  let router: I2pdRouter;
  try {
    router = await launchI2pd({ executable, dataDir, mode: 'isolated', startTimeoutMs: 20_000 });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    router,
    client: new SamClient({ host: router.samHost, port: router.samPort }),
    stop: () => {
      stopped ??= router.stop().finally(() => rm(dataDir, { recursive: true, force: true }));
      return stopped;
    },
  };
}
