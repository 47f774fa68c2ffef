/**
 * The client/server sections (Tahoe-LAFS `docs/configuration.rst`, "Client Configuration", "Storage Server
 * Configuration", "Running A Helper", "Frontend Configuration"): `[client]`, `[storage]`, `[helper]`, `[sftpd]`.
 *
 * @module
 */

import { DEFAULT_MAX_SEGMENT_SIZE } from '../../storage/chk/params.js';
import type { DescriptorParsers } from '../descriptors.js';
import { ConflictingConfigError } from '../errors.js';
import type { ConfigReader } from '../reader.js';
import type { ClientSection, HelperSection, SftpdSection, StorageSection } from '../types.js';
import { parseAbbreviatedSize, parseDate, parseDuration, parseList } from '../values.js';
import { readListenList } from './node.js';

/** Light FURL check: `pb://TUBID@HINTS/SWISSNUM`, and no `#` (there are no inline comments in tahoe.cfg). */
export function furlProblem(furl: string): string | undefined {
  if (furl.includes('#'))
    return 'a FURL cannot contain "#" (tahoe.cfg has no inline comments; remove the rest)';
  if (!/^pb:\/\/[^@/\s]+@[^/\s]*\/[^/\s]+$/.test(furl))
    return 'is not a FURL (expected pb://TUBID@HINTS/NAME)';
  return undefined;
}

function furl(reader: ConfigReader, section: string, key: string): string | undefined {
  const value = reader.nonEmpty(section, key)?.trim();
  if (value === undefined) return undefined;
  const problem = furlProblem(value);
  if (problem !== undefined) {
    reader.invalid(section, key, problem);
    return undefined;
  }
  return value;
}

/** Reads `[client]`, checking the encoding parameters 1 <= k <= N <= 256 and 1 <= happy <= N. */
export function readClientSection(reader: ConfigReader): ClientSection {
  const introducerRaw = reader.string('client', 'introducer.furl')?.trim();
  if (introducerRaw === 'None') {
    reader.invalid('client', 'introducer.furl', '"None" is not a FURL; to use no introducer, remove the key');
  }
  const helperRaw = reader.string('client', 'helper.furl')?.trim();
  const needed = reader.integer('client', 'shares.needed', 3, 1, 256);
  const total = reader.integer('client', 'shares.total', 10, 1, 256);
  const happy = reader.integer('client', 'shares.happy', 7, 1, 256);
  if (needed > total) {
    reader.report(
      new ConflictingConfigError(
        reader.where('client', 'shares.needed'),
        `shares.needed (${needed}) is larger than shares.total (${total}); a file needs k <= N shares`,
      ),
    );
  }
  if (happy > total) {
    reader.report(
      new ConflictingConfigError(
        reader.where('client', 'shares.happy'),
        `shares.happy (${happy}) is larger than shares.total (${total}); at most N servers can hold a share`,
      ),
    );
  }
  const format = (reader.string('client', 'mutable.format') ?? 'sdmf').trim().toLowerCase();
  if (format !== 'sdmf' && format !== 'mdmf') {
    reader.invalid('client', 'mutable.format', 'must be "sdmf" or "mdmf"');
  }
  return {
    introducerFurl: introducerRaw === 'None' ? undefined : furl(reader, 'client', 'introducer.furl'),
    helperFurl: helperRaw === 'None' ? undefined : furl(reader, 'client', 'helper.furl'),
    keyGeneratorFurl: reader.nonEmpty('client', 'key_generator.furl'),
    sharesNeeded: needed,
    sharesHappy: happy,
    sharesTotal: total,
    maxSegmentSize: reader.integer(
      'client',
      'shares._max_immutable_segment_size_for_testing',
      DEFAULT_MAX_SEGMENT_SIZE,
      1,
    ),
    mutableFormat: format === 'mdmf' ? 'mdmf' : 'sdmf',
    peersPreferred: parseList(reader.string('client', 'peers.preferred') ?? ''),
    storagePlugins: parseList(reader.string('client', 'storage.plugins') ?? ''),
    forceFoolscap: reader.boolean('client', 'force_foolscap', false),
  };
}

/** Reads `[storage]`, including lease expiry (`docs/garbage-collection.rst`). */
export function readStorageSection(reader: ConfigReader): StorageSection {
  const expireEnabled = reader.boolean('storage', 'expire.enabled', false);
  const modeRaw = reader.string('storage', 'expire.mode')?.trim();
  if (expireEnabled && (modeRaw === undefined || modeRaw === '')) {
    reader.missing(
      'storage',
      'expire.mode',
      'expire.enabled = true requires expire.mode = age or cutoff-date',
    );
  }
  let mode: 'age' | 'cutoff-date' = 'age';
  if (modeRaw === 'cutoff-date') mode = 'cutoff-date';
  else if (modeRaw !== undefined && modeRaw !== '' && modeRaw !== 'age') {
    reader.invalid('storage', 'expire.mode', 'must be "age" or "cutoff-date"');
  }
  let cutoffDate: number | undefined;
  if (mode === 'cutoff-date') {
    if (reader.nonEmpty('storage', 'expire.cutoff_date') === undefined) {
      reader.missing(
        'storage',
        'expire.cutoff_date',
        'expire.mode = cutoff-date requires expire.cutoff_date = YYYY-MM-DD',
      );
    } else {
      cutoffDate = reader.parsed('storage', 'expire.cutoff_date', parseDate);
    }
  }
  return {
    enabled: reader.boolean('storage', 'enabled', true),
    anonymous: reader.boolean('storage', 'anonymous', true),
    readonly: reader.boolean('storage', 'readonly', false),
    reservedSpace: reader.parsed('storage', 'reserved_space', (t) => parseAbbreviatedSize(t.trim())) ?? 0,
    storageDir: reader.path('storage', 'storage_dir', 'storage'),
    debugDiscard: reader.boolean('storage', 'debug_discard', false),
    expire: {
      enabled: expireEnabled,
      mode,
      overrideLeaseDurationSeconds: reader.parsed('storage', 'expire.override_lease_duration', parseDuration),
      cutoffDate,
      immutable: reader.boolean('storage', 'expire.immutable', true),
      mutable: reader.boolean('storage', 'expire.mutable', true),
    },
    plugins: parseList(reader.string('storage', 'plugins') ?? ''),
    gridManagement: reader.boolean('storage', 'grid_management', false),
    forceFoolscap: reader.boolean('storage', 'force_foolscap', false),
  };
}

/** Reads `[helper]`. */
export function readHelperSection(reader: ConfigReader): HelperSection {
  return { enabled: reader.boolean('helper', 'enabled', false) };
}

/** Reads `[sftpd]`; when enabled, both host key files are required (as Tahoe requires them). */
export function readSftpdSection(reader: ConfigReader, parsers: DescriptorParsers): SftpdSection {
  const enabled = reader.boolean('sftpd', 'enabled', false);
  const portRaw = reader.nonEmpty('sftpd', 'port')?.trim() ?? 'tcp:8022';
  const port = readListenList(reader, parsers, 'sftpd', 'port', portRaw, false) ?? {
    raw: portRaw,
    descriptors: [],
  };
  if (enabled) {
    for (const key of ['host_pubkey_file', 'host_privkey_file']) {
      if (reader.nonEmpty('sftpd', key) === undefined)
        reader.missing('sftpd', key, `enabled = true requires ${key}`);
    }
  }
  return {
    enabled,
    accountsFile: reader.path('sftpd', 'accounts.file', undefined),
    port,
    hostPubkeyFile: reader.path('sftpd', 'host_pubkey_file', undefined),
    hostPrivkeyFile: reader.path('sftpd', 'host_privkey_file', undefined),
  };
}
