/**
 * Child process of the grid benchmark: runs a local grid of storage servers and prints one JSON line with
 * their announcements, then serves until its standard input closes. Each `cpu` line it reads is answered with
 * a JSON line of this process's CPU time so far (`{ "cpuSeconds": n }`), so the benchmark can report the
 * servers' share of the work. Running the servers in another process keeps the client's peak RSS a measure of
 * the client alone.
 *
 * @module
 */
import { createInterface } from 'node:readline';
import { startLocalGrid } from '../src/node/local-grid.js';
import { pinYoungGeneration } from '../src/util/young-generation.js';

// As `lafs run` does (src/cli/main.ts).
pinYoungGeneration();

const count = Number(process.argv[2] ?? 5);
const grid = await startLocalGrid({ servers: count });
process.stdout.write(`${JSON.stringify(grid.servers.map((s) => s.announcement))}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuSeconds: (user + system) / 1e6 })}\n`);
});
lines.on('close', () => {
  grid.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
