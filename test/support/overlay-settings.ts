/**
 * Parsed `[tor]` and `[i2p]` sections (as `readTorSection` / `readI2pSection` return them for an empty section)
 * with just the fields a test sets, for tests that start a node's overlay without a `tahoe.cfg`.
 *
 * @module
 */
import type { I2pSection, TorSection } from '../../src/config/types.js';

/** The `[tor]` section with only `overrides` set (tor enabled, nothing else). */
export function torSettings(overrides: Partial<TorSection>): TorSection {
  return {
    enabled: true,
    socksPort: undefined,
    controlPort: undefined,
    launch: false,
    executable: undefined,
    onion: undefined,
    ...overrides,
  };
}

/** The `[i2p]` section with only `overrides` set (I2P enabled, nothing else). */
export function i2pSettings(overrides: Partial<I2pSection>): I2pSection {
  return {
    enabled: true,
    samPort: undefined,
    launch: false,
    configDir: undefined,
    executable: undefined,
    destination: undefined,
    ...overrides,
  };
}
