/**
 * `lafs run [NODEDIR]`: runs the node in the foreground until SIGINT or SIGTERM, then stops it cleanly
 * (transfers aborted, connections closed, a launched tor or i2pd stopped, the pid file removed). A second signal
 * during shutdown, or a shutdown that takes longer than `--stop-timeout`, ends the process at once.
 *
 * @module
 */
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { loadNodeConfig } from '../../config/load.js';
import { startNode } from '../../node/run/start-node.js';
import { type NodeDirArgs, nodeDirOf, withNodeDirArgs } from '../node-dir-args.js';
import { openCliNodeLog } from '../node-log.js';
import { torProgressLine } from '../tor-progress.js';
import { UsageError } from '../usage-error.js';
import { lafsVersion } from '../version.js';

interface Args extends NodeDirArgs {
  'stop-timeout': number;
  drain: number;
}

/** `lafs run [NODEDIR]`. */
export const runCommand: CommandModule<object, Args> = {
  command: 'run [nodedir]',
  describe: 'Run a node (storage server, client, introducer, web gateway) until Ctrl-C',
  builder: (y) =>
    withNodeDirArgs(y)
      .option('drain', {
        type: 'number',
        default: 10,
        describe: 'On SIGINT/SIGTERM, seconds to let web transfers in flight finish before they are aborted',
      })
      .option('stop-timeout', {
        type: 'number',
        default: 30,
        describe: 'Seconds to wait for a clean stop before exiting anyway',
      })
      .check((a) => {
        // NaN would end the stop at once: no drain, and a timer of NaN ms fires straight away.
        if (!(Number.isFinite(a.drain) && a.drain >= 0))
          throw new UsageError(`--drain must be a number of seconds, got ${a.drain}`);
        if (!(Number.isFinite(a['stop-timeout']) && a['stop-timeout'] > 0))
          throw new UsageError(
            `--stop-timeout must be a number of seconds above 0, got ${a['stop-timeout']}`,
          );
        return true;
      }) as never,
  handler: async (args) => {
    const nodeDir = nodeDirOf(args);
    // Loaded before the log opens, so that an invalid directory gets no logs/ and the log knows whether to hide
    // addresses; then handed to startNode, which would otherwise read tahoe.cfg again.
    const settings = await loadNodeConfig(nodeDir);
    const log = await openCliNodeLog(nodeDir, settings.anonymous);
    let node: Awaited<ReturnType<typeof startNode>>;
    try {
      node = await startNode(nodeDir, {
        settings,
        log,
        version: `lafs/${lafsVersion()}`,
        overlays: { onTorProgress: torProgressLine() },
      });
    } catch (error) {
      await log.close();
      throw error;
    }
    const lines = [`lafs: ${node.settings.nodeType} node running in ${nodeDir} (process ${process.pid})`];
    if (node.webUrl !== undefined) lines.push(`lafs: web gateway at ${node.webUrl}`);
    if (node.introducerUrl !== undefined)
      lines.push(`lafs: introducer URL in ${resolve(nodeDir, 'private', 'introducer.furl')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
      process.once('SIGINT', () => resolveSignal('SIGINT'));
      process.once('SIGTERM', () => resolveSignal('SIGTERM'));
    });
    process.stdout.write(`lafs: ${signal}: stopping\n`);
    const force = (why: string) => {
      process.stderr.write(`lafs: ${why}; exiting without a clean stop\n`);
      process.exit(1);
    };
    process.once('SIGINT', () => force('second signal'));
    process.once('SIGTERM', () => force('second signal'));
    const timer = setTimeout(
      () => force(`not stopped after ${args['stop-timeout']} s`),
      args['stop-timeout'] * 1000,
    );
    timer.unref();
    await node.close({ drainMs: args.drain * 1000 });
    await log.close();
    clearTimeout(timer);
    process.stdout.write('lafs: stopped\n');
  },
};
