/**
 * A complete grid of real nodes in one process on 127.0.0.1: an introducer, storage nodes and a client, each
 * with its own node directory made by `createNodeDirectory` and run by `startNode` exactly as `lafs run` runs
 * it. The client finds the storage servers through the introducer. What `lafs demo` runs.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createNodeDirectory } from '../config/create/node-dir.js';
import { LafsError } from '../errors.js';
import { type AbortOptions, combineSignals, sleep } from '../util/abort.js';
import { type RunningNode, startNode } from './run/start-node.js';

/** Options of {@link startDemoGrid}. */
export interface DemoGridOptions extends AbortOptions {
  /** Where the node directories go (must be empty or missing). */
  dir: string;
  /** Storage nodes (default 5). */
  storageNodes?: number;
  needed?: number;
  happy?: number;
  total?: number;
  version?: string;
}

/** The running grid. */
export interface DemoGrid {
  introducer: RunningNode;
  storage: RunningNode[];
  client: RunningNode;
  /** The client's web gateway. */
  webUrl: string;
  /** Stops every node (client first, introducer last). */
  close(): Promise<void>;
}

/** Creates and starts the grid, and waits until the client sees every storage server (bounded by the signal). */
export async function startDemoGrid(options: DemoGridOptions): Promise<DemoGrid> {
  const count = options.storageNodes ?? 5;
  const signal =
    combineSignals(
      { signal: options.signal, timeoutMs: options.timeoutMs ?? 120_000 },
      'starting the demo grid',
    ) ?? new AbortController().signal;
  const nodes: RunningNode[] = [];
  const close = async (): Promise<void> => {
    for (const node of nodes.splice(0).reverse()) await node.close();
  };
  const encoding = {
    sharesNeeded: options.needed ?? 3,
    sharesHappy: options.happy ?? Math.min(5, count),
    sharesTotal: options.total ?? 10,
  };
  try {
    const introducerDir = join(options.dir, 'introducer');
    await createNodeDirectory(
      { kind: 'introducer', nodeDir: introducerDir, hostname: '127.0.0.1' },
      { signal },
    );
    const introducer = await startNode(introducerDir, { signal, version: options.version });
    nodes.push(introducer);
    const furl = (await readFile(join(introducerDir, 'private', 'introducer.furl'), 'utf8')).trim();
    const storage: RunningNode[] = [];
    for (let i = 0; i < count; i++) {
      const nodeDir = join(options.dir, `storage${i}`);
      await createNodeDirectory(
        {
          kind: 'node',
          nodeDir,
          nickname: `storage${i}`,
          hostname: '127.0.0.1',
          introducer: furl,
          webport: 'none',
          ...encoding,
        },
        { signal },
      );
      const node = await startNode(nodeDir, { signal, version: options.version, pollIntervalMs: 5000 });
      nodes.push(node);
      storage.push(node);
    }
    const clientDir = join(options.dir, 'client');
    await createNodeDirectory(
      {
        kind: 'client',
        nodeDir: clientDir,
        nickname: 'client',
        introducer: furl,
        webport: 'tcp:0:interface=127.0.0.1',
        ...encoding,
      },
      { signal },
    );
    const client = await startNode(clientDir, { signal, version: options.version, pollIntervalMs: 5000 });
    nodes.push(client);
    const broker = client.client?.broker;
    while (broker !== undefined && broker.connectedCount < count) {
      if (signal.aborted)
        throw new LafsError(
          'ERR_DEMO_GRID',
          'network',
          `the client sees ${broker.connectedCount} of ${count} storage servers after waiting`,
        );
      await sleep(50, signal).catch(() => undefined);
    }
    return { introducer, storage, client, webUrl: client.webUrl ?? '', close };
  } catch (error) {
    await close();
    throw error;
  }
}
