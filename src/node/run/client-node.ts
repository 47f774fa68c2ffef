/**
 * The parts of a client node (Tahoe-LAFS `client.py`): its storage server on `tub.port`, the storage broker fed
 * by `private/servers.yaml` and the introducers, this node's storage announcement published to every introducer,
 * and the web gateway on `web.port`.
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeSettings } from '../../config/types.js';
import { LeaseSecrets } from '../../storage/client/lease-secrets.js';
import { serverInfoFromAnnouncement } from '../../storage/client/server-info.js';
import { loadServersYaml } from '../../storage/client/servers-yaml.js';
import { GbsClient } from '../../storage/http/client.js';
import { type RunningStorageServer, startStorageServer } from '../../storage/server/start.js';
import type { WelcomeIntroducer } from '../gateway/backend.js';
import { startWebGateway, type WebGateway } from '../gateway/start.js';
import { IntroducerClient } from '../introducer/client.js';
import { redactIntroducerUrl } from '../introducer/introducer-url.js';
import { loadOrCreateNodeKey } from '../introducer/node-key.js';
import { announcedAddresses } from './announce.js';
import { createGatewayBackend } from './gateway-backend.js';
import type { NodeLogger } from './node-log.js';
import { loadOrCreateConvergenceSecret, loadOrCreateLeaseSecret } from './secrets.js';
import { StorageBroker } from './storage-broker.js';
import type { NodeTransports } from './transports.js';
import type { TubListener } from './tub-listener.js';
import { webListenAddress } from './web-port.js';

/** What a client node runs. */
export interface ClientNodeParts {
  storage: RunningStorageServer | undefined;
  broker: StorageBroker;
  introducerClients: IntroducerClient[];
  gateway: WebGateway | undefined;
  /** The node id (`v0-...`). */
  nodeId: string;
  /** Stops every part; the gateway first lets its requests in flight finish for up to `drainMs`. */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** Options of {@link startClientNode}. */
export interface ClientNodeOptions {
  settings: NodeSettings;
  transports: NodeTransports;
  tub: TubListener | undefined;
  log: NodeLogger;
  version: string;
  /** Broker polling (tests use short intervals). */
  pollIntervalMs?: number;
}

/** Starts the client node's parts; on failure, stops what it started. */
export async function startClientNode(options: ClientNodeOptions): Promise<ClientNodeParts> {
  const { settings, transports, log } = options;
  const client = settings.client;
  if (client === undefined) throw new TypeError('startClientNode: not a client node');
  const { paths } = settings;
  const stack: (() => Promise<void> | void)[] = [];
  let drainMs = 0;
  const close = async (options: { drainMs?: number } = {}): Promise<void> => {
    drainMs = options.drainMs ?? 0;
    for (const stop of stack.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        log.error(error, 'stopping the node');
      }
    }
  };
  try {
    await mkdir(settings.node.tempDir, { recursive: true, mode: 0o700 });
    const nodeKey = await loadOrCreateNodeKey(paths.privateDir);
    const convergenceSecret = await loadOrCreateConvergenceSecret(paths);
    const leaseSecrets = new LeaseSecrets(await loadOrCreateLeaseSecret(paths.privateDir));

    const broker = new StorageBroker({
      makeClient: (info) =>
        new GbsClient({
          nurl: info.nurls[0] ?? '',
          connect: (host, port, abort) =>
            transports.dialHost(host, port, { ...abort, isolationKey: info.serverId }),
        }),
      transportOf: (host) => transports.transportOf(host),
      pollIntervalMs: options.pollIntervalMs,
      onStateChange: (serverId, state) => log.info(`storage server ${serverId}: ${state}`),
    });
    stack.push(() => broker.close());
    for (const info of await loadServersYaml(paths.serversFile).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }))
      broker.upsert(info, 'static');

    const storage = await startOwnStorage(options);
    if (storage !== undefined) stack.push(() => storage.close());

    const introducerClients: IntroducerClient[] = [];
    const introducerSince = new Map<IntroducerClient, number>();
    for (const introducer of settings.introducers) {
      const ic = new IntroducerClient({
        url: introducer.furl,
        nodeKey,
        connect: (host, port, abort) =>
          transports.dialHost(host, port, { ...abort, isolationKey: 'introducer' }),
        nickname: settings.node.nickname,
        myVersion: options.version,
        seqnumFile: join(paths.privateDir, 'announcement-seqnum'),
        cacheFile: introducer.cacheFile,
      });
      ic.onChange((change) => {
        try {
          const info = serverInfoFromAnnouncement(
            change.serverId,
            change.announcement.ann,
            `introducer "${introducer.petname}"`,
          );
          broker.upsert(info, 'introducer');
        } catch (error) {
          log.warn(`ignoring an announcement: ${(error as Error).message}`);
        }
      });
      ic.onProblem((error) => log.warn(`introducer "${introducer.petname}": ${error.message}`));
      introducerClients.push(ic);
      introducerSince.set(ic, Date.now());
      stack.push(() => ic.close());
      await ic.start();
      if (storage !== undefined && storage.nurls.length > 0) {
        void ic
          .publish('storage', { ...storage.announcement })
          .catch((error: unknown) => log.error(error, 'publishing the storage announcement'));
      }
    }
    broker.start();

    const introducers = (): WelcomeIntroducer[] =>
      settings.introducers.map((introducer, i) => {
        const ic = introducerClients[i];
        const connected = ic?.connected ?? false;
        return {
          furl: redactIntroducerUrl(introducer.furl),
          connected,
          connectionStatus: connected
            ? 'Connected'
            : `Not connected${ic?.lastError ? `: ${ic.lastError.message}` : ''}`,
          since: ic ? Math.floor((introducerSince.get(ic) ?? Date.now()) / 1000) : null,
        };
      });

    let gateway: WebGateway | undefined;
    const web = webListenAddress(settings);
    if (web !== undefined) {
      gateway = await startWebGateway({
        listen: web,
        backend: createGatewayBackend({
          client,
          broker,
          convergenceSecret,
          leaseSecrets,
          tmpDir: settings.node.tempDir,
          nickname: settings.node.nickname,
          nodeId: nodeKey.keyString,
          version: options.version,
          introducers,
        }),
        onError: (error) => log.error(error, 'web gateway'),
      });
      const running = gateway;
      stack.push(() => running.close({ drainMs }));
      await writeFile(paths.nodeUrlFile, `${gateway.url}\n`);
      log.info(`web gateway listening at ${gateway.url}`);
    }
    return { storage, broker, introducerClients, gateway, nodeId: nodeKey.keyString, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Starts the storage server when `[storage] enabled` and the node listens. */
async function startOwnStorage(options: ClientNodeOptions): Promise<RunningStorageServer | undefined> {
  const { settings, tub, log } = options;
  const storage = settings.storage;
  if (storage === undefined || !storage.enabled) return undefined;
  if (tub === undefined) {
    log.warn('[storage] enabled = true but tub.port = disabled: no storage server is offered');
    return undefined;
  }
  const announce = announcedAddresses(settings, tub.tcpPort);
  const server = await startStorageServer({
    storageDir: storage.storageDir,
    privateDir: settings.paths.privateDir,
    listen: tub.hub,
    announce,
    reservedSpace: storage.reservedSpace,
    nickname: settings.node.nickname,
    applicationVersion: options.version,
    expiration: {
      enabled: storage.expire.enabled,
      mode: storage.expire.mode,
      overrideLeaseDurationSeconds: storage.expire.overrideLeaseDurationSeconds,
      cutoffDate: storage.expire.cutoffDate,
      sharetypes: [
        ...(storage.expire.immutable ? (['immutable'] as const) : []),
        ...(storage.expire.mutable ? (['mutable'] as const) : []),
      ],
    },
    onError: (error, where) => log.error(error, `storage server: ${where}`),
  });
  if (announce.length === 0) log.info('storage server running, but tub.location publishes no address');
  else log.info(`storage server offered at ${announce.map((a) => `${a.host}:${a.port ?? ''}`).join(', ')}`);
  return server;
}
