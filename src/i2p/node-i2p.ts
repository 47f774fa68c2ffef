/**
 * I2P as a node uses it, built from the `[i2p]` section (Tahoe-LAFS `docs/configuration.rst`, "[i2p]"):
 * where the SAM bridge is (`sam.port`, default `tcp:127.0.0.1:7656`) or an i2pd to launch and stop with the
 * node (`launch = true`, `i2p.executable`, `i2p.configdir`; Tahoe documents launch but never implemented it),
 * the `i2p` connector for outgoing streams, and publishing the node's destination (`dest = true`) by
 * forwarding its incoming streams to the local HTTPS storage server.
 *
 * Outgoing streams use their own TRANSIENT destination, never the published one, so a server cannot tell
 * that the client dialling it is also the storage server at the published address.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ClientEndpoint } from '../config/client-endpoint.js';
import type { I2pDestinationSettings, I2pSection } from '../config/types.js';
import { checkPort } from '../endpoints/host.js';
import { AbortError } from '../errors.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../util/abort.js';
import { I2pConfigError, I2pSamUnavailableError, SamConnectionClosedError } from './errors.js';
import { createI2pConnector, type I2pConnector } from './i2p-connector.js';
import type { I2pdMode } from './i2pd-config.js';
import { type I2pdRouter, launchI2pd } from './i2pd-launcher.js';
import { readPrivateKeyFile } from './key-files.js';
import { PublishedDestination } from './published-destination.js';
import { SamClient } from './sam-client.js';
import { DEFAULT_SAM_PORT, type SamBridgeOptions } from './sam-connection.js';
import type { SamParamValue } from './sam-message.js';

/** Options of {@link startNodeI2p}. */
export interface StartNodeI2pOptions extends AbortOptions {
  /** The node's `[i2p]` settings. */
  settings: I2pSection;
  /** `NODEDIR/private`: a launched i2pd keeps its data in `private/i2p` unless `i2p.configdir` is set. */
  privateDir: string;
  /** Told about background events (launch, session outages); no secrets are passed. */
  onLog?: (message: string) => void;
  /** I2CP options for every session (tests on a one-router network: `ACCEPTOR_OPTIONS`). */
  sessionOptions?: Readonly<Record<string, SamParamValue>>;
  /**
   * How a launched i2pd meets the world: `network` (the default: the real I2P network) or `isolated`
   * (the offline one-router test network; see `i2pd-config.ts`). Only used with `launch = true`.
   */
  launchMode?: I2pdMode;
  /** Create the outgoing session at once rather than on the first dial (default true). */
  prepareOutgoing?: boolean;
  /** Bound on a dial through the connector (default `DEFAULT_I2P_CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs?: number;
}

/** A node's running I2P support. */
export interface NodeI2p {
  /** Dials `i2p:` hints (name `i2p`, anonymizing). */
  readonly connector: I2pConnector;
  /** The SAM bridge in use (`127.0.0.1` and the launched router's port with `launch = true`). */
  readonly bridge: Readonly<SamBridgeOptions>;
  /** The launched i2pd, with `launch = true`. */
  readonly router: I2pdRouter | undefined;
  /**
   * Serves `dest`: a SAM STREAM session with the stored key whose incoming streams are forwarded (STREAM
   * FORWARD, silent) to 127.0.0.1:`localPort`, where the node's HTTPS storage server listens. Resolves once
   * the session is up, with the `.b32.i2p` address. An outage later is repaired in the background.
   *
   * @throws I2pKeyFilePermissionError / I2pKeyError for a bad key file; SamDuplicatedDestError when the
   *   destination is already published on the bridge; SamError, AbortError.
   */
  publishDestination(
    dest: I2pDestinationSettings,
    localPort: number,
    abort?: AbortOptions,
  ): Promise<{ address: string }>;
  /** Closes every session and stops a launched i2pd. Idempotent. */
  close(): Promise<void>;
}

/** Default bound on reaching the SAM bridge at start. */
const SAM_CHECK_TIMEOUT_MS = 15_000;

/**
 * The SAM bridge address of a `[i2p] sam.port` client endpoint (unset: 127.0.0.1:7656).
 *
 * @throws I2pConfigError for a `unix:` endpoint (SAM bridges listen on TCP only).
 */
export function samBridgeFromEndpoint(endpoint: ClientEndpoint | undefined): SamBridgeOptions {
  if (endpoint === undefined) return { host: '127.0.0.1', port: DEFAULT_SAM_PORT };
  if (endpoint.kind !== 'tcp') {
    throw new I2pConfigError(
      '[i2p] sam.port',
      `SAM bridges listen on TCP only; got unix:${endpoint.path} (use tcp:127.0.0.1:7656)`,
    );
  }
  return { host: endpoint.host, port: endpoint.port };
}

/**
 * Checks that a SAM bridge answers HELLO.
 *
 * @throws I2pSamUnavailableError when nothing (or no SAM bridge) answers in time; AbortError when the
 *   caller's own signal fires.
 */
export async function checkSamBridge(
  client: SamClient,
  advice: string,
  abort: AbortOptions = {},
): Promise<string> {
  const where = `${client.bridge.host ?? '127.0.0.1'}:${client.bridge.port ?? DEFAULT_SAM_PORT}`;
  try {
    return await client.hello({ signal: abort.signal, timeoutMs: abort.timeoutMs ?? SAM_CHECK_TIMEOUT_MS });
  } catch (error) {
    if (abort.signal?.aborted) throw error;
    if (error instanceof SamConnectionClosedError || error instanceof AbortError) {
      throw new I2pSamUnavailableError(where, advice, { cause: error });
    }
    throw error;
  }
}

/** Starts I2P for a node; see {@link NodeI2p}. */
export async function startNodeI2p(options: StartNodeI2pOptions): Promise<NodeI2p> {
  const { settings, onLog } = options;
  throwIfAborted(options.signal, 'starting I2P');
  if (!settings.enabled) {
    throw new I2pConfigError('[i2p] enabled', 'I2P is disabled (enabled = false); do not start it');
  }
  let router: I2pdRouter | undefined;
  let bridge: SamBridgeOptions;
  if (settings.launch) {
    router = await launchRouter(options);
    bridge = { host: router.samHost, port: router.samPort };
  } else {
    bridge = samBridgeFromEndpoint(settings.samPort);
  }
  const client = new SamClient(bridge);
  try {
    await checkSamBridge(
      client,
      settings.launch
        ? 'the launched i2pd does not answer SAM'
        : 'start i2pd (or another I2P router) with SAM enabled, or set [i2p] sam.port or launch = true',
      options,
    );
  } catch (error) {
    await router?.stop();
    throw error;
  }
  if (router) onLog?.(`I2P: launched i2pd (pid ${router.pid}), SAM on 127.0.0.1:${router.samPort}`);

  const sessionOptions = options.sessionOptions;
  const connector: I2pConnector = createI2pConnector({
    session: () =>
      client.createSession({ id: `lafs-out-${randomBytes(4).toString('hex')}`, options: sessionOptions }),
    connectTimeoutMs: options.connectTimeoutMs,
  });
  // Most nodes dial soon after starting (introducer, storage servers): start the slow SESSION CREATE now.
  if (options.prepareOutgoing !== false) {
    connector.prepare().catch((error: unknown) => onLog?.(`I2P: ${(error as Error).message}`));
  }
  const published: PublishedDestination[] = [];
  let closing: Promise<void> | undefined;

  return {
    connector,
    bridge,
    router,
    async publishDestination(dest, localPort, abort = {}) {
      if (closing)
        throw new I2pConfigError('[i2p] dest', 'I2P was closed before the destination was published');
      checkPort(localPort, 'publishDestination: localPort');
      const signal = combineSignals(abort, 'publishing the I2P destination');
      const privateKey = await readPrivateKeyFile(dest.privateKeyFile, { signal });
      const destination = await PublishedDestination.start(
        { client, privateKey, localPort, sessionOptions, onLog },
        { signal },
      );
      if (closing) {
        await destination.stop();
        throw new I2pConfigError('[i2p] dest', 'I2P was closed while the destination was being published');
      }
      published.push(destination);
      onLog?.(`I2P: destination ${destination.address} forwards to 127.0.0.1:${localPort}`);
      return { address: destination.address };
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([connector.close(), ...published.map((d) => d.stop())]);
        await router?.stop();
      })();
      return closing;
    },
  };
}

/** Launches i2pd for `launch = true`; the caller's signal may cancel the launch but not stop it later. */
async function launchRouter(options: StartNodeI2pOptions): Promise<I2pdRouter> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await launchI2pd({
      executable: options.settings.executable ?? 'i2pd',
      dataDir: options.settings.configDir ?? join(options.privateDir, 'i2p'),
      mode: options.launchMode ?? 'network',
      signal: controller.signal,
      startTimeoutMs: options.timeoutMs,
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
