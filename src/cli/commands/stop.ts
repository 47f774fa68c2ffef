/**
 * `lafs stop [NODEDIR]`: asks the node running in NODEDIR (found by its `running.process` pid file) to stop with
 * SIGTERM and waits until it has. Exit 0 when it stopped, 1 when no node runs there or it did not stop in time.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { LafsError } from '../../errors.js';
import { processExists, readPidFile } from '../../node/run/pid-file.js';
import { type NodeDirArgs, nodeDirOf, withNodeDirArgs } from '../node-dir-args.js';
import { UsageError } from '../usage-error.js';

interface Args extends NodeDirArgs {
  timeout: number;
}

/** `lafs stop [NODEDIR]`. */
export const stopCommand: CommandModule<object, Args> = {
  command: 'stop [nodedir]',
  describe: 'Stop the node running in a node directory',
  builder: (y) =>
    withNodeDirArgs(y)
      .option('timeout', {
        type: 'number',
        default: 60,
        describe: 'Seconds to wait for the node to stop',
      })
      .check((a) => {
        // NaN (`--timeout=soon`) would make the deadline never pass.
        if (!(Number.isFinite(a.timeout) && a.timeout > 0))
          throw new UsageError(`--timeout must be a number of seconds above 0, got ${a.timeout}`);
        return true;
      }) as never,
  handler: async (args) => {
    const nodeDir = nodeDirOf(args);
    const pid = await readPidFile(nodeDir);
    if (pid === undefined || !processExists(pid))
      throw new LafsError('ERR_NODE_NOT_RUNNING', 'input', `no node is running in ${nodeDir}`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + args.timeout * 1000;
    while (processExists(pid)) {
      if (Date.now() > deadline)
        throw new LafsError(
          'ERR_NODE_STOP_TIMEOUT',
          'network',
          `process ${pid} did not stop in ${args.timeout} s`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(`lafs: stopped the node in ${nodeDir} (process ${pid})\n`);
  },
};
