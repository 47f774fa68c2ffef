/**
 * The human and JSON pages: the welcome page `GET /` (Tahoe `web/root.py`: this node, its introducers and every
 * storage server) and `GET /status` (Tahoe `web/status.py`: active and recent operations).
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { WelcomeInfo } from './backend.js';
import { escapeHtml, htmlPage, showTime } from './html.js';
import { send, sendJson } from './respond.js';
import type { TransferStatus, TransferTracker } from './transfers.js';

/**
 * The welcome page as JSON: Tahoe's `{introducers: {statuses}, servers: [{nodeid, nickname,
 * connection_status, last_received_data, available_space, version}]}`, plus this node's identity and, for
 * each server and introducer, a `connected` flag and its (redacted) address.
 */
export function welcomeJson(info: WelcomeInfo): unknown {
  return {
    nickname: info.nickname,
    node_id: info.nodeId,
    version: info.version,
    introducers: {
      statuses: info.introducers.map((i) => i.connectionStatus),
      details: info.introducers.map((i) => ({
        furl: i.furl,
        connected: i.connected,
        connection_status: i.connectionStatus,
        since: i.since,
      })),
    },
    servers: info.servers.map((s) => ({
      nodeid: s.serverId,
      nickname: s.nickname,
      address: s.address,
      connected: s.connected,
      connection_status: s.connectionStatus,
      last_received_data: s.lastReceivedData,
      available_space: s.availableSpace,
      version: s.version ?? null,
    })),
  };
}

function space(bytes: number | null): string {
  if (bytes === null) return 'N/A';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** `GET /` (HTML) and `GET /?t=json`. */
export function handleWelcome(res: ServerResponse, info: WelcomeInfo, json: boolean): void {
  if (json) {
    sendJson(res, welcomeJson(info));
    return;
  }
  const e = escapeHtml;
  const connected = info.servers.filter((s) => s.connected).length;
  const introducers = info.introducers
    .map(
      (i) => `<tr><td>${e(i.furl)}</td><td>${e(i.connectionStatus)}</td><td>${showTime(i.since)}</td></tr>`,
    )
    .join('\n');
  const servers = info.servers
    .map(
      (s) =>
        `<tr><td>${e(s.nickname)}</td><td><code>${e(s.serverId)}</code></td><td>${e(s.address)}</td>` +
        `<td>${e(s.connectionStatus)}</td><td>${showTime(s.lastReceivedData)}</td>` +
        `<td>${space(s.availableSpace)}</td></tr>`,
    )
    .join('\n');
  const body =
    `<p>Nickname: ${e(info.nickname)}<br>Node ID: <code>${e(info.nodeId)}</code><br>Version: ${e(info.version)}</p>\n` +
    `<h2>Introducers</h2>\n<table border="1"><tr><th>Introducer</th><th>Status</th><th>Since</th></tr>\n${introducers}</table>\n` +
    `<h2>Connected to ${connected} of ${info.servers.length} known storage servers</h2>\n` +
    `<table border="1"><tr><th>Nickname</th><th>Node ID</th><th>Address</th><th>Connection</th>` +
    `<th>Last received data</th><th>Available space</th></tr>\n${servers}</table>\n` +
    `<h2>Upload a file</h2>\n<form action="/uri" method="POST" enctype="multipart/form-data">` +
    `<input type="hidden" name="t" value="upload"><input type="file" name="file">` +
    `<input type="submit" value="Upload Unlinked"></form>\n` +
    `<h2>Download a file</h2>\n<form action="/uri" method="GET"><input type="text" name="uri" size="60">` +
    `<input type="submit" value="View file"></form>\n<p><a href="/status">Recent and active operations</a></p>`;
  send(res, 200, 'text/html; charset=utf-8', htmlPage(`Tahoe-LAFS (lafs) node: ${info.nickname}`, body));
}

function row(t: TransferStatus): string {
  const progress = t.progress === null ? `${t.done} bytes` : `${(t.progress * 100).toFixed(1)}%`;
  return (
    `<tr><td>${t.id}</td><td>${t.type}</td><td>${t.state}</td><td>${escapeHtml(t.phase)}</td>` +
    `<td>${progress}</td><td>${t.size ?? '?'}</td><td><code>${escapeHtml(t.storageIndex ?? '')}</code></td>` +
    `<td>${showTime(t.started)}</td><td>${escapeHtml(t.error ?? '')}</td></tr>`
  );
}

/** `GET /status` (HTML) and `GET /status?t=json` (`{active: [...], recent: [...]}`). */
export function handleStatus(res: ServerResponse, tracker: TransferTracker, json: boolean): void {
  const snapshot = tracker.snapshot();
  if (json) {
    sendJson(res, snapshot);
    return;
  }
  const head =
    '<tr><th>#</th><th>Type</th><th>State</th><th>Phase</th><th>Progress</th><th>Size</th>' +
    '<th>Storage index</th><th>Started</th><th>Error</th></tr>';
  const table = (rows: TransferStatus[]): string =>
    rows.length === 0 ? '<p>None.</p>' : `<table border="1">${head}\n${rows.map(row).join('\n')}</table>`;
  send(
    res,
    200,
    'text/html; charset=utf-8',
    htmlPage(
      'Recent and Active Operations',
      `<h2>Active Operations</h2>\n${table(snapshot.active)}\n<h2>Recent Operations</h2>\n${table(snapshot.recent)}` +
        '\n<p><a href="/">Return to the Welcome Page</a></p>',
    ),
  );
}
