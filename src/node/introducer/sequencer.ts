/**
 * Announcement sequence numbers and nonces (Tahoe-LAFS `client.py` `_sequencer`): every publication gets the
 * next `seqnum`, persisted in `NODEDIR/announcement-seqnum` so that it keeps rising across restarts (the
 * introducer and subscribers ignore announcements that do not beat the last seqnum they saw), and a fresh
 * random `nonce` (base32 of 32 random bytes), so re-signing never repeats a message.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { base32Encode } from '../../crypto/base32.js';

/** File name of the counter inside the node directory. */
export const SEQNUM_FILE = 'announcement-seqnum';

/** Hands out increasing sequence numbers. */
export class Sequencer {
  readonly #file: string | undefined;
  #last: number | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** @param file - where to persist the counter (`NODEDIR/announcement-seqnum`); in memory only if omitted. */
  constructor(file?: string) {
    this.#file = file;
  }

  async #load(): Promise<number> {
    if (this.#last !== undefined) return this.#last;
    let last = 0;
    if (this.#file !== undefined) {
      const text = await readFile(this.#file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '0';
        throw error;
      });
      const parsed = /^\s*(\d{1,15})\s*$/.exec(text);
      // A damaged counter restarts at 0; the introducer's 409 answer then tells us where to continue.
      last = parsed ? Number(parsed[1]) : 0;
    }
    this.#last = last;
    return last;
  }

  async #store(value: number): Promise<void> {
    this.#last = value;
    if (this.#file === undefined) return;
    const tmp = `${this.#file}.tmp`;
    await writeFile(tmp, `${value}\n`);
    await rename(tmp, this.#file);
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(job);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** The next `{seqnum, nonce}`; the counter is saved before it is returned. */
  next(): Promise<{ seqnum: number; nonce: string }> {
    return this.#serial(async () => {
      const seqnum = (await this.#load()) + 1;
      await this.#store(seqnum);
      return { seqnum, nonce: base32Encode(randomBytes(32)) };
    });
  }

  /** Makes the next seqnum exceed `seen` (an introducer remembered a higher one than our counter). */
  advancePast(seen: number): Promise<void> {
    return this.#serial(async () => {
      if ((await this.#load()) < seen) await this.#store(seen);
    });
  }
}
