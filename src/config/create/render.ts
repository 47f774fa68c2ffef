/**
 * Writes the `tahoe.cfg` of a new node with the same sections and keys, in the same order, as Tahoe-LAFS
 * 1.20's `create-node` (`allmydata/scripts/create_node.py` `write_node_config`, `write_client_config`), so
 * that Tahoe-LAFS accepts it too.
 *
 * @module
 */
import type { ListenerConfig } from './listeners.js';
import { type CreateNodeOptions, DEFAULT_WEBPORT } from './options.js';

/**
 * Escapes a value for `tahoe.cfg`: `%` doubles (Tahoe reads values with `%` interpolation). Values must be
 * one line; callers check that first.
 */
export function escapeValue(value: string): string {
  return value.replaceAll('%', '%%');
}

function webPortValue(options: CreateNodeOptions): string {
  if (options.kind === 'introducer') return '';
  const webport = options.webport ?? DEFAULT_WEBPORT;
  return webport.toLowerCase() === 'none' ? '' : webport;
}

/**
 * The text of `tahoe.cfg`. `listener` is the merged configuration of every `--listen` kind, or `undefined`
 * when the node does not listen (`tub.port = disabled`, `tub.location = disabled`).
 */
export function renderTahoeCfg(options: CreateNodeOptions, listener: ListenerConfig | undefined): string {
  const lines: string[] = [
    '# -*- mode: conf; coding: utf-8 -*-',
    '',
    '# Settings of the node in this directory, read when it starts. Every key is',
    "# described in Tahoe-LAFS's docs/configuration.rst; lafs reads the same file.",
    '',
    '',
  ];
  if (options.hideIp) lines.push('[connections]', 'tcp = tor', '');
  lines.push(
    '[node]',
    `nickname = ${escapeValue(options.nickname ?? '')}`,
    `reveal-IP-address = ${options.hideIp ? 'false' : 'true'}`,
    `web.port = ${escapeValue(webPortValue(options))}`,
    'web.static = public_html',
    `tub.port = ${escapeValue(listener === undefined ? 'disabled' : listener.tubPorts.join(','))}`,
    `tub.location = ${escapeValue(listener === undefined ? 'disabled' : listener.tubLocations.join(','))}`,
    '',
    '#log_gatherer.furl =',
    '#timeout.keepalive =',
    '#timeout.disconnect =',
    '#ssh.port = 8022',
    '#ssh.authorized_keys_file = ~/.ssh/authorized_keys',
    '',
  );
  for (const [section, items] of Object.entries(listener?.sections ?? {})) {
    lines.push(`[${section}]`, ...items.map(([k, v]) => `${k} = ${escapeValue(v)}`), '');
  }
  if (options.kind !== 'introducer') {
    const storageEnabled = options.kind === 'node' && options.noStorage !== true;
    lines.push(
      '[client]',
      'helper.furl =',
      '',
      '# Erasure-coding defaults for new uploads; every cap records its own, so',
      '# these may change at any time.',
      `shares.needed = ${options.sharesNeeded ?? 3}`,
      `shares.happy = ${options.sharesHappy ?? 7}`,
      `shares.total = ${options.sharesTotal ?? 10}`,
      '',
      '[storage]',
      '# Offer storage space to other nodes?',
      `enabled = ${storageEnabled ? 'true' : 'false'}`,
      '#readonly =',
      'reserved_space = 1G',
      options.storageDir === undefined
        ? '#storage_dir ='
        : `storage_dir = ${escapeValue(options.storageDir)}`,
      '#expire.enabled =',
      '#expire.mode =',
      '',
      '[helper]',
      '# Run an upload helper for other clients?',
      `enabled = ${options.helper === true ? 'true' : 'false'}`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
