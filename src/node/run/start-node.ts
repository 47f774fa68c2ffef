/**
 * `lafs run`: starts whatever a node directory's `tahoe.cfg` says — an introducer, or a client with its storage
 * server, storage broker, introducer subscriptions and web gateway — over the transports `[connections]`,
 * `[tor]` and `[i2p]` configure. Refuses an invalid or unsafe configuration before opening any socket.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { loadNodeConfig } from '../../config/load.js';
import type { NodeSettings } from '../../config/types.js';
import { type AbortOptions, throwIfAborted } from '../../util/abort.js';
import { redactIntroducerUrl } from '../introducer/introducer-url.js';
import { createIntroducerService, type RunningIntroducer } from '../introducer/service.js';
import { announcedAddresses } from './announce.js';
import { type ClientNodeParts, startClientNode } from './client-node.js';
import { type NodeLogger, silentLogger } from './node-log.js';
import { type OverlayOptions, overlayStarters } from './overlay-starters.js';
import { acquirePidFile } from './pid-file.js';
import { createNodeTransports, type NodeTransports } from './transports.js';
import { openTubListener, type TubListener } from './tub-listener.js';

/** Options of {@link startNode}. */
export interface StartNodeOptions extends AbortOptions {
  /** Where log events go (default: nowhere; `lafs run` passes the node's log file). */
  log?: NodeLogger;
  /** The version string announced and shown (e.g. `lafs/0.1.0`). */
  version?: string;
  /** Options for Tor and I2P, started when needed (tests: a private Tor network, an isolated i2pd). */
  overlays?: OverlayOptions;
  /** Storage broker polling interval (tests). */
  pollIntervalMs?: number;
  /** `nodeDir`'s settings when the caller has loaded them already (`loadNodeConfig(nodeDir)`); else loaded here. */
  settings?: NodeSettings;
}

/** What a node publishes on the overlay networks. */
export interface PublishedOverlays {
  /** The onion service: its id (without `.onion`), and when its descriptor is uploaded. */
  onion?: { serviceId: string; published: Promise<void> };
  /** The I2P destination (`<52 chars>.b32.i2p`). */
  i2pAddress?: string;
}

/** A running node. */
export interface RunningNode {
  readonly settings: NodeSettings;
  /** The web gateway's URL (also written to `node.url`), when `web.port` is set. */
  readonly webUrl: string | undefined;
  /** The introducer's URL (also in `private/introducer.furl`), for an introducer node. */
  readonly introducerUrl: string | undefined;
  /** The client's parts, for a client node. */
  readonly client: ClientNodeParts | undefined;
  readonly introducer: RunningIntroducer | undefined;
  readonly transports: NodeTransports;
  /** The onion service and I2P destination this node publishes, when `tub.port` has `listen:tor` / `listen:i2p`. */
  readonly overlays: PublishedOverlays;
  /**
   * Stops everything in reverse order and removes the pid file. Idempotent. Web requests in flight may finish
   * for up to `drainMs` (default 0) before they are aborted.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** Loads `nodeDir`'s configuration (unless given in `options.settings`) and starts the node. */
export async function startNode(nodeDir: string, options: StartNodeOptions = {}): Promise<RunningNode> {
  const log = options.log ?? silentLogger;
  const version = options.version ?? 'lafs';
  const settings = options.settings ?? (await loadNodeConfig(nodeDir, { signal: options.signal }));
  throwIfAborted(options.signal, 'starting the node');
  const pid = await acquirePidFile(settings.paths.baseDir);
  const stack: (() => Promise<void>)[] = [async () => pid.release()];
  let closing: Promise<void> | undefined;
  let drainMs = 0;
  const close = (options: { drainMs?: number } = {}): Promise<void> => {
    drainMs = options.drainMs ?? 0;
    closing ??= (async () => {
      for (const stop of stack.splice(0).reverse()) {
        try {
          await stop();
        } catch (error) {
          log.error(error, 'stopping the node');
        }
      }
      log.info('node stopped');
    })();
    return closing;
  };
  try {
    log.info(`starting ${settings.nodeType} node "${settings.node.nickname}" in ${settings.paths.baseDir}`);
    if (settings.anonymous) log.info('anonymous mode: every connection goes through Tor or I2P');
    const transports = createNodeTransports(settings, overlayStarters(settings, log, options.overlays));
    stack.push(() => transports.close());
    const tub = await openTubListener(settings);
    if (tub !== undefined) stack.push(() => tub.close());

    let client: ClientNodeParts | undefined;
    let introducer: RunningIntroducer | undefined;
    if (settings.nodeType === 'introducer') {
      introducer = await startIntroducerNode(settings, tub, version);
      const running = introducer;
      stack.push(() => running.close());
      log.info(`introducer running at ${redactIntroducerUrl(introducer.url)}`);
    } else {
      client = await startClientNode({
        settings,
        transports,
        tub,
        log,
        version,
        pollIntervalMs: options.pollIntervalMs,
      });
      const running = client;
      stack.push(() => running.close({ drainMs }));
    }
    // Only now that the storage server or introducer serves the listeners may Tor and I2P deliver connections.
    const overlays = tub === undefined ? {} : await publishOverlays(settings, transports, tub, log, options);
    log.info('node started');
    return {
      settings,
      webUrl: client?.gateway?.url,
      introducerUrl: introducer?.url,
      client,
      introducer,
      transports,
      overlays,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startIntroducerNode(
  settings: NodeSettings,
  tub: TubListener | undefined,
  version: string,
): Promise<RunningIntroducer> {
  await mkdir(settings.paths.privateDir, { recursive: true, mode: 0o700 });
  if (tub === undefined) throw new TypeError('an introducer needs tub.port');
  return createIntroducerService({
    privateDir: settings.paths.privateDir,
    listen: tub.hub,
    announce: announcedAddresses(settings, tub.tcpPort),
    applicationVersion: version,
  });
}

/** Starts the onion service and the I2P destination that `tub.port` asks for. */
async function publishOverlays(
  settings: NodeSettings,
  transports: NodeTransports,
  tub: TubListener,
  log: NodeLogger,
  abort: AbortOptions,
): Promise<PublishedOverlays> {
  const published: PublishedOverlays = {};
  // `[tor] onion = true` publishes the onion service whether tub.port says `listen:tor` or, as `create-node
  // --listen=tor` writes it (like Tahoe), `tcp:LOCALPORT:interface=127.0.0.1`: both listen on onion.local_port.
  const onion = settings.tor.onion;
  if (onion !== undefined) {
    const tor = await transports.tor(abort);
    const service = await tor.startOnionService(onion, abort);
    log.info(`onion service ${service.serviceId}.onion:${onion.externalPort} added to tor`);
    published.onion = service;
    service.published.then(
      () => log.info(`onion service ${service.serviceId}.onion: descriptor published`),
      (error: unknown) => log.warn(`onion service ${service.serviceId}.onion: ${(error as Error).message}`),
    );
  }
  const destination = settings.i2p.destination;
  if (tub.i2pLocalPort !== undefined && destination !== undefined) {
    const i2p = await transports.i2p(abort);
    const { address } = await i2p.publishDestination(destination, tub.i2pLocalPort, abort);
    log.info(`I2P destination ${address} forwarding to 127.0.0.1:${tub.i2pLocalPort}`);
    published.i2pAddress = address;
  }
  return published;
}
