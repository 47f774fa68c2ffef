/**
 * Which sections and keys `tahoe.cfg` may contain, per node type, as Tahoe-LAFS 1.20 validates them
 * (`allmydata/node.py` `_common_valid_config`, `allmydata/client.py` `_client_config`; keys compare
 * lowercased, as `ConfigParser` stores them), and did-you-mean suggestions for the rest.
 *
 * @module
 */
import type { NodeType } from './types.js';

/** Sections and keys valid for every node type (introducers read only these). */
const COMMON_SECTIONS: Readonly<Record<string, readonly string[]>> = {
  connections: ['tcp'],
  node: [
    'log_gatherer.furl',
    'nickname',
    'reveal-ip-address',
    // The older spelling of `reveal-IP-address = false`; lafs accepts it (Tahoe 1.20 does not know it).
    'anonymize',
    'tempdir',
    'timeout.disconnect',
    'timeout.keepalive',
    'tub.location',
    'tub.port',
    'web.port',
    'web.static',
  ],
  i2p: [
    'enabled',
    'i2p.configdir',
    'i2p.executable',
    'launch',
    'sam.port',
    'dest',
    'dest.port',
    'dest.private_key_file',
  ],
  tor: [
    'control.port',
    'enabled',
    'launch',
    'socks.port',
    'tor.executable',
    'onion',
    'onion.local_port',
    'onion.external_port',
    'onion.private_key_file',
    'onion.client_auth',
    'onion.authorized_clients_dir',
    'client_auth_dir',
  ],
};

/** Sections and keys client/server nodes add. */
const CLIENT_SECTIONS: Readonly<Record<string, readonly string[]>> = {
  client: [
    'helper.furl',
    'introducer.furl',
    'key_generator.furl',
    'mutable.format',
    'peers.preferred',
    'shares.happy',
    'shares.needed',
    'shares.total',
    'shares._max_immutable_segment_size_for_testing',
    'storage.plugins',
    'force_foolscap',
  ],
  storage: [
    'debug_discard',
    'enabled',
    'anonymous',
    'expire.cutoff_date',
    'expire.enabled',
    'expire.immutable',
    'expire.mode',
    'expire.mutable',
    'expire.override_lease_duration',
    'readonly',
    'reserved_space',
    'storage_dir',
    'plugins',
    'grid_management',
    'force_foolscap',
  ],
  sftpd: ['accounts.file', 'enabled', 'host_privkey_file', 'host_pubkey_file', 'port'],
  helper: ['enabled'],
};

/** Sections whose keys are free-form (defined by plugins or naming Grid Managers); client nodes only. */
const OPEN_SECTION_PREFIXES = ['storageserver.plugins.', 'storageclient.plugins.'] as const;
const OPEN_SECTIONS = ['grid_managers', 'grid_manager_certificates'] as const;

/**
 * Sections older Tahoe-LAFS releases knew and 1.20 rejects, with the explanation lafs gives. A node directory
 * with one of them does not start under Tahoe 1.20 either; lafs reports it with the reason and the fix.
 */
export const REMOVED_SECTIONS: Readonly<Record<string, string>> = {
  ftpd: 'the FTP frontend was removed in Tahoe-LAFS 1.15; delete the [ftpd] section (use [sftpd] for SFTP)',
  magic_folder:
    'magic-folder was removed from Tahoe-LAFS in 1.15 and is a separate program now; delete the [magic_folder] section',
  drop_upload:
    'drop-upload (the predecessor of magic-folder) no longer exists; delete the [drop_upload] section',
};

/** What the loader needs to know about one section name. */
export type SectionSchema =
  | { kind: 'fixed'; keys: readonly string[] }
  | { kind: 'open' }
  | { kind: 'removed'; reason: string }
  | { kind: 'unknown'; suggestion: string | undefined };

/** The fixed sections a node type accepts, with their keys. */
export function fixedSections(nodeType: NodeType): Readonly<Record<string, readonly string[]>> {
  return nodeType === 'client' ? { ...COMMON_SECTIONS, ...CLIENT_SECTIONS } : COMMON_SECTIONS;
}

/** Classifies a section name for a node type. */
export function sectionSchema(nodeType: NodeType, name: string): SectionSchema {
  const fixed = fixedSections(nodeType);
  const keys = Object.hasOwn(fixed, name) ? fixed[name] : undefined;
  if (keys !== undefined) return { kind: 'fixed', keys };
  if (nodeType === 'client') {
    if (OPEN_SECTION_PREFIXES.some((p) => name.startsWith(p) && name.length > p.length))
      return { kind: 'open' };
    if ((OPEN_SECTIONS as readonly string[]).includes(name)) return { kind: 'open' };
  }
  if (Object.hasOwn(REMOVED_SECTIONS, name)) return { kind: 'removed', reason: REMOVED_SECTIONS[name] ?? '' };
  const candidates = [...Object.keys(fixed), ...(nodeType === 'client' ? OPEN_SECTIONS : [])];
  return { kind: 'unknown', suggestion: closest(name, candidates) };
}

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[y.length] ?? 0;
}

/**
 * The candidate closest to `name`, if it is close enough to be a plausible typo (at most a third of the
 * length, minimum 2 edits).
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** If `key` is unknown in `section` but valid in another fixed section, names that section. */
export function sectionOwningKey(nodeType: NodeType, section: string, key: string): string | undefined {
  const fixed = fixedSections(nodeType);
  return Object.keys(fixed).find((s) => s !== section && (fixed[s] ?? []).includes(key));
}
