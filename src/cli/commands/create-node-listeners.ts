/**
 * The listener kinds `lafs create-node --listen=` offers. Tor and I2P support add their plugin here; each
 * plugin's own options (`--tor-control-port`...) then appear on create-node and create-introducer.
 *
 * @module
 */
import { builtinListenerPlugins, type ListenerPlugin } from '../../config/create/index.js';
import { i2pListener } from '../../i2p/listener-plugin.js';
import { torListener } from '../../tor/listener-plugin.js';

/** Every listener plugin the CLI registers, in `--help` order. */
export const listenerPlugins: ListenerPlugin[] = [...builtinListenerPlugins, torListener, i2pListener];
