/**
 * Child process of the grid benchmark: runs a local grid of storage servers and prints one JSON line with
 * their announcements, then serves until its standard input closes. Running the servers in another process
 * keeps the client's peak RSS a measure of the client alone.
 *
 * @module
 */
import { startLocalGrid } from '../src/node/local-grid.js';

const count = Number(process.argv[2] ?? 5);
const grid = await startLocalGrid({ servers: count });
process.stdout.write(`${JSON.stringify(grid.servers.map((s) => s.announcement))}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  grid.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
