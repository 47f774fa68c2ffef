/**
 * The connection manager: the one place in lafs that opens outbound connections. It applies `[connections]`
 * (which handler serves `tcp`, `tor` and `i2p` hints) and `[node] reveal-IP-address` (Tahoe-LAFS
 * `docs/configuration.rst`, "Connection Management" and "[connections]"; `docs/anonymity-configuration.rst`),
 * then hands the hint to the first connector of that handler that accepts it.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import { PrivacyError } from '../errors.js';
import { throwIfAborted } from '../util/abort.js';
import { type ConnectOptions, type Connector, describeHint, hostPortOf } from './connector.js';
import { NoConnectorError } from './errors.js';
import { isLoopback } from './host.js';
import type { ConnectionHint } from './types.js';

/** `[connections]`: which handler serves each built-in hint type. */
export interface ConnectionHandlers {
  /** `tcp = tcp` (direct, the default), `tor` (hide the IP address), or `disabled`. */
  tcp: 'tcp' | 'tor' | 'disabled';
  /** `tor:` hints: through Tor, or `disabled`. */
  tor: 'tor' | 'disabled';
  /** `i2p:` hints: through I2P, or `disabled`. */
  i2p: 'i2p' | 'disabled';
}

/** How to build a {@link ConnectionManager}. */
export interface ConnectionManagerOptions {
  /**
   * `[node] reveal-IP-address = false`: never reveal this node's IP address. Requires `handlers.tcp` to be
   * `tor` or `disabled`, and lets connectors that are not `anonymizing` reach loopback destinations only.
   */
  anonymous: boolean;
  /** Defaults: `tcp` = `tor` when anonymous, else `tcp`; `tor` = `tor`; `i2p` = `i2p`. */
  handlers?: Partial<ConnectionHandlers>;
  /** Connectors in order of preference. Hints of other schemes go to the first connector that accepts them. */
  connectors: readonly Connector[];
}

/** Chooses a connector for each hint and dials it, enforcing the anonymity policy. */
export class ConnectionManager {
  readonly anonymous: boolean;
  readonly handlers: Readonly<ConnectionHandlers>;
  readonly #connectors: readonly Connector[];

  /** Throws {@link PrivacyError} for `anonymous` with `tcp = tcp`. */
  constructor(options: ConnectionManagerOptions) {
    this.anonymous = options.anonymous;
    this.handlers = Object.freeze({
      tcp: options.handlers?.tcp ?? (options.anonymous ? 'tor' : 'tcp'),
      tor: options.handlers?.tor ?? 'tor',
      i2p: options.handlers?.i2p ?? 'i2p',
    });
    if (this.anonymous && this.handlers.tcp === 'tcp') {
      throw new PrivacyError(
        "[connections] tcp = tcp would reveal this node's IP address, but [node] reveal-IP-address = false; " +
          'set tcp = tor (or disabled)',
      );
    }
    this.#connectors = [...options.connectors];
  }

  /** The handler name that serves `hint` (`tcp`, `tor`, `i2p`, `disabled`), or its scheme for other hints. */
  handlerFor(hint: ConnectionHint): string {
    switch (hint.scheme) {
      case 'tcp':
        return this.handlers.tcp;
      case 'tor':
        return this.handlers.tor;
      case 'i2p':
        return this.handlers.i2p;
      default:
        return hint.scheme;
    }
  }

  /**
   * The connector that would dial `hint`: for built-in schemes the first connector named after the handler that
   * accepts the hint; for other schemes the first connector that accepts it. Throws {@link NoConnectorError}
   * when the handler is disabled or nothing accepts the hint, and {@link PrivacyError} when the choice would
   * reveal the IP address in anonymous mode.
   */
  connectorFor(hint: ConnectionHint): Connector {
    const text = describeHint(hint);
    const handler = this.handlerFor(hint);
    if (handler === 'disabled') throw new NoConnectorError(text, `[connections] ${hint.scheme} = disabled`);
    const builtin = hint.scheme === 'tcp' || hint.scheme === 'tor' || hint.scheme === 'i2p';
    const connector = this.#connectors.find((c) => (!builtin || c.name === handler) && c.canDial(hint));
    if (connector === undefined) {
      const reason = builtin
        ? `no "${handler}" connector accepts it (is ${handler} configured?)`
        : `no connector handles "${hint.scheme}:" hints`;
      throw new NoConnectorError(text, reason);
    }
    if (this.anonymous && connector.anonymizing !== true) {
      const target = hostPortOf(hint);
      if (target === undefined || !isLoopback(target.host)) {
        throw new PrivacyError(
          `refusing to dial ${text} with the non-anonymizing "${connector.name}" connector: it would reveal this ` +
            "node's IP address ([node] reveal-IP-address = false); only loopback destinations may be dialled directly",
        );
      }
    }
    return connector;
  }

  /** Dials `hint` through the connector {@link connectorFor} chooses. */
  async connect(hint: ConnectionHint, options: ConnectOptions = {}): Promise<Duplex> {
    throwIfAborted(options.signal, `connection to ${describeHint(hint)}`);
    return this.connectorFor(hint).connect(hint, options);
  }
}
