/**
 * How a node starts Tor and I2P from its `[tor]` and `[i2p]` sections: a launched or system tor
 * (`startNodeTor`), a launched i2pd or a SAM bridge (`startNodeI2p`), with their state under `NODEDIR/private`.
 *
 * @module
 */
import type { NodeSettings } from '../../config/types.js';
import { type StartNodeI2pOptions, startNodeI2p } from '../../i2p/node-i2p.js';
import type { BootstrapStatus } from '../../tor/events.js';
import { type StartNodeTorOptions, startNodeTor } from '../../tor/node-tor.js';
import type { NodeLogger } from './node-log.js';
import type { TransportStarters } from './transports.js';

/** Extra options for the overlays (tests: a private Tor network's torrc, an isolated i2pd). */
export interface OverlayOptions {
  tor?: Partial<Omit<StartNodeTorOptions, 'settings' | 'privateDir'>>;
  i2p?: Partial<Omit<StartNodeI2pOptions, 'settings' | 'privateDir'>>;
  /** Tor's bootstrap progress (the CLI shows it). */
  onTorProgress?(status: BootstrapStatus): void;
}

/** The starters `createNodeTransports` calls. */
export function overlayStarters(
  settings: NodeSettings,
  log: NodeLogger,
  options: OverlayOptions = {},
): TransportStarters {
  const privateDir = settings.paths.privateDir;
  return {
    tor: (abort) => {
      log.info(settings.tor.launch ? 'launching tor' : 'connecting to the system tor');
      return startNodeTor({
        ...options.tor,
        ...abort,
        settings: settings.tor,
        privateDir,
        onProgress: (status) => {
          options.onTorProgress?.(status);
          options.tor?.onProgress?.(status);
          log.info(`tor bootstrap ${status.progress}%: ${status.summary}`);
        },
        onLog: (message) => log.info(`tor: ${message}`),
      });
    },
    i2p: (abort) => {
      log.info(settings.i2p.launch ? 'launching i2pd' : 'connecting to the I2P SAM bridge');
      return startNodeI2p({
        ...options.i2p,
        ...abort,
        settings: settings.i2p,
        privateDir,
        onLog: (message) => log.info(`i2p: ${message}`),
      });
    },
  };
}
