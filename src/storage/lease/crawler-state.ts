/**
 * The lease crawler's persistent state: where the current cycle has got to and what the last complete cycle
 * found. Stored as a small JSON file, replaced atomically (write a temporary file, fsync, rename), so a crash
 * leaves either the old or the new state and a restart resumes where the crawler stopped.
 *
 * @module
 */
import { open, readFile, rename } from 'node:fs/promises';

/** Counts gathered over one cycle. */
export interface CycleCounts {
  bucketsExamined: number;
  sharesExamined: number;
  leasesExpired: number;
  sharesDeleted: number;
  starterLeasesAdded: number;
}

/** The whole persisted state. */
export interface CrawlerState {
  version: 1;
  /** Number of the cycle in progress (0 for the first). */
  cycle: number;
  /** When the cycle in progress started (seconds). */
  cycleStartTime: number;
  /** The last bucket fully processed in this cycle, as `prefix/si`; `null` at the start of a cycle. */
  position: string | null;
  current: CycleCounts;
  /** Counts of the last complete cycle, with its finish time. */
  lastComplete: (CycleCounts & { cycle: number; finishTime: number }) | null;
  /** The last error met while crawling, if any (the crawler keeps going). */
  lastError: string | null;
}

/** Zeroed counts. */
export function emptyCounts(): CycleCounts {
  return { bucketsExamined: 0, sharesExamined: 0, leasesExpired: 0, sharesDeleted: 0, starterLeasesAdded: 0 };
}

/** The state of a crawler that has never run. */
export function initialState(now: number): CrawlerState {
  return {
    version: 1,
    cycle: 0,
    cycleStartTime: now,
    position: null,
    current: emptyCounts(),
    lastComplete: null,
    lastError: null,
  };
}

function isState(value: unknown): value is CrawlerState {
  const v = value as Partial<CrawlerState> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.version === 1 &&
    typeof v.cycle === 'number' &&
    typeof v.cycleStartTime === 'number' &&
    (v.position === null || typeof v.position === 'string') &&
    typeof v.current === 'object' &&
    v.current !== null
  );
}

/** Loads the state file; a missing or unreadable file gives a fresh state (the crawl simply restarts). */
export async function loadCrawlerState(path: string, now: number): Promise<CrawlerState> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (isState(parsed)) return parsed;
  } catch {
    // Missing or corrupt: start a new cycle rather than refuse to run.
  }
  return initialState(now);
}

/** Writes the state atomically. */
export async function saveCrawlerState(path: string, state: CrawlerState): Promise<void> {
  const temp = `${path}.tmp`;
  const fh = await open(temp, 'w', 0o644);
  try {
    await fh.writeFile(`${JSON.stringify(state, null, 1)}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(temp, path);
}
