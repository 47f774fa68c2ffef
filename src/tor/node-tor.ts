/**
 * Tor as a node uses it (Tahoe-LAFS `docs/configuration.rst` "[tor]", `allmydata/util/tor_provider.py`): one
 * entry point, {@link startNodeTor}, turns the `[tor]` settings into
 *
 * - a `tor` {@link Connector} dialling through Tor's SOCKS port, streams isolated per destination;
 * - {@link NodeTor.startOnionService}: the node's onion service re-added with ADD_ONION from its stored key at
 *   every start (optionally with v3 client authorization), and a promise for the descriptor upload;
 * - the node's own client-authorization keys (`client_auth_dir`) given to Tor with ONION_CLIENT_AUTH_ADD;
 * - `close()`: DEL_ONION, credentials removed, a launched tor stopped (Tahoe leaves it running).
 *
 * Where Tor is: `launch = true` starts a private tor with its DataDirectory in `private/tor-statedir`;
 * otherwise `control.port` / `socks.port` name a running tor, and unset ones are looked for where tor usually
 * listens (control: Debian's socket, 9051, 9151; SOCKS: 9050, 9150). A node that only dials out needs no control
 * port at all: the control connection is opened only for an onion service or client-authorization keys.
 *
 * @module
 */
import { join } from 'node:path';
import type { OnionServiceSettings, TorSection } from '../config/types.js';
import type { ConnectOptions, Connector } from '../endpoints/connector.js';
import { torConnectorsForPeers } from '../endpoints/tor-socks-connector.js';
import type { ConnectionHint } from '../endpoints/types.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../util/abort.js';
import { readAuthorizedClients, readClientAuthCredentials } from './client-auth.js';
import { getInfoOne } from './commands.js';
import type { TorControlClient } from './control-client.js';
import {
  NoAuthorizedClientsError,
  TorConnectionClosedError,
  TorDisabledError,
  TorSocksUnavailableError,
} from './errors.js';
import type { BootstrapStatus } from './events.js';
import { type LaunchedTor, launchTor } from './launch.js';
import { delOnion, onionClientAuthAdd, onionClientAuthRemove } from './onion-commands.js';
import { readOnionKeyFile } from './onion-key-file.js';
import { addOnionService, waitForPublished } from './onion-service.js';
import { parseSocksListeners } from './socks-listeners.js';
import { connectSystemTor } from './system-tor.js';

/** The DataDirectory of a launched tor, under `NODEDIR/private` (Tahoe's `tor_provider.data_directory`). */
export const TOR_STATE_DIR = 'tor-statedir';
/** A TCP SOCKS port. */
type SocksAddress = { host: string; port: number };

/** How long each clean-up command of `close()` may take. */
const CLOSE_STEP_TIMEOUT_MS = 5000;

/** Options of {@link startNodeTor}. */
export interface StartNodeTorOptions extends AbortOptions {
  /** The node's `[tor]` settings. */
  settings: TorSection;
  /** `NODEDIR/private`: a launched tor keeps its state in `tor-statedir` there. */
  privateDir: string;
  /** A launched tor's bootstrap progress. */
  onProgress?: (status: BootstrapStatus) => void;
  /** A launched tor's log lines. */
  onLog?: (message: string) => void;
  /** More torrc options for a launched tor (tests: the private network's DirAuthority lines). */
  extraTorConfig?: Record<string, string | number | readonly (string | number)[]>;
  /** A launched tor may make no bootstrap progress for this long (default 120 000 ms). */
  bootstrapTimeoutMs?: number;
  /** Wait for a launched tor to bootstrap fully (default true; false for a tor with `DisableNetwork 1`). */
  waitForBootstrap?: boolean;
}

/** A started onion service. */
export interface StartedOnionService {
  /** The 56-character service id (the `.onion` address without the suffix). */
  readonly serviceId: string;
  /**
   * Resolves when Tor reports the first descriptor upload (HS_DESC UPLOADED); rejects with `AbortError` when the
   * NodeTor closes first, or `TorConnectionClosedError` if tor goes away. Never an unhandled rejection.
   */
  readonly published: Promise<void>;
}

/** Tor, ready for the node. */
export interface NodeTor {
  /** A Connector named `tor` (anonymizing) dialling through this tor's SOCKS port, isolation on. */
  readonly connector: Connector;
  /** The control connection, if one was needed so far (launched tor, onion service, client keys). */
  readonly control: TorControlClient | undefined;
  /** The launched tor, when `launch = true`. */
  readonly launched: LaunchedTor | undefined;
  /** Publishes `onion` (ADD_ONION with the stored key, `externalPort` -> 127.0.0.1:`localPort`). */
  startOnionService(onion: OnionServiceSettings, abort?: AbortOptions): Promise<StartedOnionService>;
  /** DEL_ONION, client keys removed, control closed, a launched tor stopped. Idempotent; never rejects. */
  close(): Promise<void>;
}

/** The SOCKS endpoint of `[tor] socks.port`, refusing a unix socket (the SOCKS client dials TCP only). */
function configuredSocks(settings: TorSection): SocksAddress | undefined {
  const port = settings.socksPort;
  if (port === undefined) return undefined;
  if (port.kind === 'unix') {
    throw new TorSocksUnavailableError(
      `socks.port = unix:${port.path} is a unix socket; lafs reaches Tor's SOCKS port over TCP (tcp:127.0.0.1:9050)`,
    );
  }
  return { host: port.host, port: port.port };
}

/** The first TCP SOCKS listener tor reports, if any. */
async function socksOf(control: TorControlClient, abort: AbortOptions): Promise<SocksAddress | undefined> {
  return tcpSocks(parseSocksListeners(await getInfoOne(control, 'net/listeners/socks', abort)));
}

/** The first TCP listener of a list tor reported. */
function tcpSocks(
  listeners: readonly ({ host: string; port: number } | { unixPath: string })[],
): SocksAddress | undefined {
  for (const l of listeners) if ('port' in l) return { host: l.host, port: l.port };
  return undefined;
}

/** Runs one clean-up step within {@link CLOSE_STEP_TIMEOUT_MS}, ignoring its failure (tor may be gone). */
async function quietly(step: (abort: AbortOptions) => Promise<unknown>): Promise<void> {
  await step({ timeoutMs: CLOSE_STEP_TIMEOUT_MS }).catch(() => {});
}

/**
 * Starts or finds tor for a node. Errors: `TorDisabledError`, `TorExecutableNotFoundError`, `TorExitedError`,
 * `TorBootstrapTimeoutError` (launch); `TorControlPortUnavailableError` listing every control port tried;
 * `TorSocksUnavailableError`; `OnionClientAuthError` for a bad key file in `client_auth_dir`; `AbortError`.
 * Nothing is left running when it throws.
 */
export async function startNodeTor(options: StartNodeTorOptions): Promise<NodeTor> {
  const { settings } = options;
  const signal = combineSignals(options, 'starting Tor');
  throwIfAborted(signal, 'starting Tor');
  if (!settings.enabled) throw new TorDisabledError('this node');
  let socks = configuredSocks(settings);
  let launched: LaunchedTor | undefined;
  let control: TorControlClient | undefined;
  let connecting: Promise<TorControlClient> | undefined;
  const services = new Set<string>();
  const credentials: string[] = [];
  const closing = new AbortController();
  let closed: Promise<void> | undefined;

  /** The control connection, opened on first need for a system tor. */
  const ensureControl = (abort: AbortOptions): Promise<TorControlClient> => {
    if (control) return Promise.resolve(control);
    connecting ??= connectSystemTor({
      ...(settings.controlPort ? { controlPort: settings.controlPort } : {}),
      signal: combineSignals(abort, 'connecting to Tor'),
    }).then(
      (opened) => {
        control = opened.control;
        socks ??= tcpSocks(opened.socks ? [opened.socks] : []);
        return opened.control;
      },
      (error: unknown) => {
        connecting = undefined; // a later call may try again
        throw error;
      },
    );
    return connecting;
  };

  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing.abort();
      await connecting?.catch(() => {});
      if (control && !launched) {
        const c = control;
        for (const id of services) await quietly((abort) => delOnion(c, id, abort));
        for (const id of credentials) await quietly((abort) => onionClientAuthRemove(c, id, abort));
      }
      if (launched) await launched.stop();
      else await control?.close();
    })();
    return closed;
  };

  try {
    if (settings.launch) {
      launched = await launchTor({
        dataDirectory: join(options.privateDir, TOR_STATE_DIR),
        ...(settings.executable !== undefined ? { executable: settings.executable } : {}),
        // ExtendedErrors: onion failures come back as Tor's 0xF0-0xF7 codes (typed errors); IsolateSOCKSAuth
        // (tor's default, stated for clarity) lets the connector isolate streams by SOCKS credentials.
        extraConfig: { SocksPort: 'auto ExtendedErrors IsolateSOCKSAuth', ...options.extraTorConfig },
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.onLog ? { onLog: options.onLog } : {}),
        ...(options.bootstrapTimeoutMs !== undefined
          ? { bootstrapTimeoutMs: options.bootstrapTimeoutMs }
          : {}),
        ...(options.waitForBootstrap !== undefined ? { waitForBootstrap: options.waitForBootstrap } : {}),
        signal,
      });
      control = launched.control;
      socks ??= tcpSocks(launched.socks ? [launched.socks] : []);
    } else if (settings.controlPort !== undefined || settings.clientAuthDir !== undefined) {
      await ensureControl({ signal });
    }
    if (settings.clientAuthDir !== undefined) {
      const c = await ensureControl({ signal });
      for (const credential of await readClientAuthCredentials(settings.clientAuthDir)) {
        await onionClientAuthAdd(
          c,
          { address: credential.serviceId, privateKey: credential.privateKey },
          { signal },
        );
        credentials.push(credential.serviceId);
      }
    }
  } catch (error) {
    await close();
    throw error;
  }

  const connector = torConnector(
    () => socks,
    async (abort) => {
      // A launched tor with DisableNetwork 1 opens its SOCKS listener only once the network is enabled.
      if (socks === undefined && launched) socks = await socksOf(launched.control, abort);
      if (socks === undefined && launched)
        throw new TorSocksUnavailableError(
          'the launched tor has no SOCKS listener (is its network disabled?)',
        );
      return socks;
    },
  );

  return {
    connector,
    get control() {
      return control;
    },
    launched,
    async startOnionService(onion, abort = {}) {
      const opSignal = combineSignals(abort, 'starting the onion service');
      throwIfAborted(opSignal, 'starting the onion service');
      if (closed) throw new TorConnectionClosedError('this NodeTor is closed');
      const key = await readOnionKeyFile(onion.privateKeyFile);
      let clientKeys: string[] | undefined;
      if (onion.authorizedClientsDir !== undefined) {
        clientKeys = (await readAuthorizedClients(onion.authorizedClientsDir)).map((c) => c.publicKey);
        if (clientKeys.length === 0) throw new NoAuthorizedClientsError(onion.authorizedClientsDir);
      }
      const c = await ensureControl({ signal: opSignal });
      const service = await addOnionService(c, {
        virtualPort: onion.externalPort,
        target: { host: '127.0.0.1', port: onion.localPort },
        key,
        ...(clientKeys ? { clientAuthPublicKeys: clientKeys } : {}),
        signal: opSignal,
      });
      services.add(service.serviceId);
      const published = waitForPublished(c, service.serviceId, { signal: closing.signal });
      published.catch(() => {}); // the caller may never look; its rejection is still delivered to those who do
      return { serviceId: service.serviceId, published };
    },
    close,
  };
}

/**
 * The `tor` connector over a SOCKS port that may only be known later: `known()` is the address so far, `resolve()`
 * finds it at the first dial. Without any address the SOCKS connector tries 127.0.0.1:9050, then 9150.
 */
function torConnector(
  known: () => SocksAddress | undefined,
  resolve: (abort: AbortOptions) => Promise<SocksAddress | undefined>,
): Connector {
  // Two connectors on one SOCKS port (torConnectorsForPeers): `tcp:` hints may carry the raw IP a server
  // announced (never one resolved here), `tor:` hints may not.
  let inner: { socks: SocksAddress | undefined; connectors: Connector[] } | undefined;
  const current = async (hint: ConnectionHint, abort: AbortOptions): Promise<Connector> => {
    const socks = known() ?? (await resolve(abort));
    if (inner === undefined || inner.socks !== socks) {
      inner = { socks, connectors: torConnectorsForPeers(socks ? { socks } : {}) };
    }
    const connector = inner.connectors.find((c) => c.canDial(hint));
    if (connector === undefined) throw new TypeError(`the tor connector cannot dial a ${hint.scheme}: hint`);
    return connector;
  };
  const probes = torConnectorsForPeers({});
  return {
    name: 'tor',
    anonymizing: true,
    canDial: (hint: ConnectionHint) => probes.some((p) => p.canDial(hint)),
    async connect(hint: ConnectionHint, dial: ConnectOptions = {}) {
      return (await current(hint, dial)).connect(hint, dial);
    },
  };
}
