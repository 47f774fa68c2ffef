/**
 * Real `lafs` processes for end-to-end tests: one-shot CLI commands, and `lafs run` nodes that are started,
 * waited for, signalled and restarted. Every wait has a deadline; every process is killed by `killAll`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cliPath } from '../../test/support/paths.js';

/** What a finished CLI command printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lafs ARGS` to completion (killed after `timeoutMs`), optionally feeding `stdin`. */
export async function lafs(
  args: string[],
  options: { stdin?: Buffer; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.end(options.stdin);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** Runs `lafs ARGS` and returns its stdout; throws with stderr when it fails. */
export async function lafsOk(
  args: string[],
  options: { stdin?: Buffer; timeoutMs?: number } = {},
): Promise<string> {
  const result = await lafs(args, options);
  if (result.code !== 0)
    throw new Error(`lafs ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

const running = new Set<ChildProcess>();

/** A `lafs run NODEDIR` process. */
export class NodeProcess {
  readonly child: ChildProcess;
  #output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly nodeDir: string) {
    this.child = spawn(process.execPath, [cliPath, 'run', nodeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.child);
    const append = (c: Buffer): void => {
      // Keep the last 64 KiB: enough to diagnose a failure.
      this.#output = (this.#output + c.toString()).slice(-65536);
    };
    this.child.stdout?.on('data', append);
    this.child.stderr?.on('data', append);
    this.exited = once(this.child, 'exit').then(([code]) => {
      running.delete(this.child);
      return code as number | null;
    });
  }

  /** Everything the node printed so far (last 64 KiB). */
  get output(): string {
    return this.#output;
  }

  /** Waits until the output matches `pattern`; throws with the output if the node exits or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.#output);
      if (match) return match;
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(
          `node ${this.nodeDir} exited (${this.child.exitCode ?? this.child.signalCode}):\n${this.#output}`,
        );
      if (Date.now() > deadline)
        throw new Error(`node ${this.nodeDir}: no ${pattern} in ${timeoutMs} ms:\n${this.#output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends `signal` and waits for the exit code (SIGKILL after `timeoutMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Starts `lafs run NODEDIR` and waits until it says it runs. */
export async function startNodeProcess(nodeDir: string, timeoutMs = 60_000): Promise<NodeProcess> {
  const node = new NodeProcess(nodeDir);
  await node.waitFor(/node running in/, timeoutMs);
  return node;
}

/** Kills every node process still running (for `after` hooks). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Polls `probe` until it returns a value other than `undefined`, or throws after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
