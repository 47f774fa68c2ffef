/**
 * `lafs status`: the node's state as its web gateway reports it: identity, introducers, storage servers
 * (`GET /?t=json`) and active and recent transfers (`GET /status?t=json`).
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { GatewayResponseError } from '../client-errors.js';
import { getJson } from '../client-http.js';
import { type NodeUrlArgs, nodeUrlOptions, resolveNodeUrl } from '../client-node-url.js';

interface Args extends NodeUrlArgs {
  json: boolean;
}

interface Welcome {
  nickname?: string;
  node_id?: string;
  version?: string;
  introducers?: { statuses?: string[] };
  servers?: {
    nodeid?: string;
    nickname?: string;
    connected?: boolean;
    connection_status?: string;
    last_received_data?: number | null;
    available_space?: number | null;
  }[];
}

interface Transfer {
  id?: number;
  type?: string;
  state?: string;
  phase?: string;
  progress?: number | null;
  done?: number;
  size?: number | null;
  error?: string | null;
}

/** `value` if it is a JSON object, else a {@link GatewayResponseError} naming the request it answered. */
function jsonObject(value: unknown, request: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw new GatewayResponseError(200, `the gateway's answer to ${request} is not a JSON object`);
}

/** `value` if it is a list of JSON objects (missing: empty), else a {@link GatewayResponseError} naming it. */
function listOfObjects<T>(value: unknown, what: string): T[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null)) return value as T[];
  throw new GatewayResponseError(200, `the gateway's ${what} is not a list of objects`);
}

function when(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number') return 'never';
  const ago = Math.max(0, Math.round(Date.now() / 1000 - seconds));
  return `${ago} s ago`;
}

function describeTransfer(t: Transfer): string {
  const progress = typeof t.progress === 'number' ? `${(t.progress * 100).toFixed(0)}%` : `${t.done ?? 0} B`;
  const error = t.error ? ` (${t.error})` : '';
  return `  #${t.id} ${t.type} ${t.state} ${t.phase} ${progress} of ${t.size ?? '?'} B${error}`;
}

/** `lafs status [-d NODEDIR | --node-url URL] [--json]`. */
export const statusCommand: CommandModule<object, Args> = {
  command: 'status',
  describe: "Show the node's connections and its active and recent transfers",
  builder: (y) =>
    nodeUrlOptions(y).option('json', {
      type: 'boolean',
      default: false,
      describe: 'print {"welcome", "transfers"} as JSON',
    }),
  handler: async (args) => {
    const base = await resolveNodeUrl(args);
    const [welcomeJson, transfersJson] = await Promise.all([
      getJson(new URL('?t=json', base)),
      getJson(new URL('status?t=json', base)),
    ]);
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ welcome: welcomeJson, transfers: transfersJson }, null, 2)}\n`,
      );
      return;
    }
    // The answers are whatever the server at the node URL sent: check their shape before reading them.
    const welcome = jsonObject(welcomeJson, '/?t=json') as Welcome;
    const transfers = jsonObject(transfersJson, '/status?t=json');
    const servers = listOfObjects<NonNullable<Welcome['servers']>[number]>(
      welcome.servers,
      '/?t=json "servers"',
    );
    const active = listOfObjects<Transfer>(transfers.active, '/status?t=json "active"');
    const recent = listOfObjects<Transfer>(transfers.recent, '/status?t=json "recent"');
    const statuses = welcome.introducers?.statuses;
    const out: string[] = [
      `Node:    ${welcome.nickname ?? '?'} (${welcome.node_id ?? '?'}), ${welcome.version ?? ''}`,
      `Gateway: ${base.href}`,
      `Introducers: ${(Array.isArray(statuses) ? statuses.join('; ') : '') || 'none'}`,
      `Storage servers: ${servers.filter((s) => s.connected).length} of ${servers.length} connected`,
      ...servers.map(
        (s) =>
          `  ${s.nickname ?? '?'} ${s.nodeid ?? ''}: ${s.connection_status ?? '?'}, last data ${when(
            s.last_received_data,
          )}, ${typeof s.available_space === 'number' ? `${s.available_space} B free` : 'space unknown'}`,
      ),
      `Active transfers: ${active.length}`,
      ...active.map(describeTransfer),
      `Recent transfers: ${recent.length}`,
      ...recent.map(describeTransfer),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  },
};
