import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { base32Encode } from '../../../src/crypto/base32.js';
import { LafsError } from '../../../src/errors.js';
import { LogFileError } from '../../../src/node/log/errors.js';
import { LOG_FILE_NAME, MAX_LOG_LINE_CHARS, openNodeLog } from '../../../src/node/log/node-log.js';

interface Event {
  time: string;
  level: string;
  component: string;
  message: string;
  fields?: Record<string, unknown>;
}

async function readEvents(path: string): Promise<Event[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n') || text === '').to.equal(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Event);
}

describe('node log: file, format and rotation', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-log-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes one JSON line per event with ISO time, level, component, message and redacted fields', async () => {
    const logsDir = join(dir, 'logs');
    const log = await openNodeLog(logsDir, { now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) });
    const storage = log.child('storage');
    const cap = `URI:CHK:${base32Encode(randomBytes(16))}:${base32Encode(randomBytes(32))}:3:10:5`;
    log.info('started', { pid: 42 });
    storage.warn(`slow upload of ${cap}\nsecond line`, { swissnum: 'topsecret', cap });
    storage.child('crawler').error(new LafsError('ERR_X', 'network', 'peer vanished'), 'renewing leases');
    log.error('a string was thrown', 'shutting down');
    await log.close();
    const text = await readFile(join(logsDir, LOG_FILE_NAME), 'utf8');
    expect(text).not.to.include(cap.slice(8)).and.not.include('topsecret');
    const events = await readEvents(join(logsDir, LOG_FILE_NAME));
    expect(events).to.have.length(4);
    expect(events[0]).to.deep.equal({
      time: '2026-01-02T03:04:05.678Z',
      level: 'info',
      component: 'node',
      message: 'started',
      fields: { pid: 42 },
    });
    expect(events[1]).to.include({ level: 'warn', component: 'node.storage' });
    expect(events[1]?.message).to.match(/^slow upload of URI:CHK:<redacted, \d+ chars>\nsecond line$/);
    expect(events[1]?.fields).to.deep.include({ swissnum: '<redacted>' });
    expect(events[2]).to.include({
      level: 'error',
      component: 'node.storage.crawler',
      message: 'renewing leases: peer vanished',
    });
    expect(events[2]?.fields?.error).to.deep.include({ code: 'ERR_X', kind: 'network' });
    expect(events[3]).to.include({ message: 'shutting down: a string was thrown' });
    expect((await stat(join(logsDir, LOG_FILE_NAME))).mode & 0o777).to.equal(0o600);
  });

  it('appends to an existing log', async () => {
    await writeFile(join(dir, LOG_FILE_NAME), '{"old":true}\n');
    const log = await openNodeLog(dir);
    log.info('new');
    await log.close();
    const lines = (await readFile(join(dir, LOG_FILE_NAME), 'utf8')).trim().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.equal('{"old":true}');
  });

  it('rotates by size and keeps a bounded number of files, losing no recent line', async () => {
    const log = await openNodeLog(dir, { maxFileBytes: 2048, keepFiles: 2 });
    for (let i = 0; i < 100; i++) log.info(`event ${i}`, { i, pad: 'p'.repeat(40) });
    await log.flush();
    expect(log.stats()).to.include({ dropped: 0, writeErrors: 0 });
    expect(log.stats().rotations).to.be.greaterThan(2);
    await log.close();
    expect((await readdir(dir)).sort()).to.deep.equal([
      LOG_FILE_NAME,
      `${LOG_FILE_NAME}.1`,
      `${LOG_FILE_NAME}.2`,
    ]);
    const sequence: number[] = [];
    for (const name of [`${LOG_FILE_NAME}.2`, `${LOG_FILE_NAME}.1`, LOG_FILE_NAME]) {
      expect((await stat(join(dir, name))).size).to.be.at.most(2048);
      for (const e of await readEvents(join(dir, name))) sequence.push(Number(e.fields?.i));
    }
    // Oldest to newest, contiguous, ending with the last event.
    expect(sequence.at(-1)).to.equal(99);
    expect(sequence).to.deep.equal(sequence.map((_, k) => 100 - sequence.length + k));
  });

  it('with keepFiles 0 keeps only the current file', async () => {
    const log = await openNodeLog(dir, { maxFileBytes: 1024, keepFiles: 0 });
    for (let i = 0; i < 50; i++) log.info(`event ${i}`, { i });
    await log.close();
    expect(await readdir(dir)).to.deep.equal([LOG_FILE_NAME]);
    const events = await readEvents(join(dir, LOG_FILE_NAME));
    expect(events.at(-1)?.fields?.i).to.equal(49);
  });

  it('drops and counts lines when the queue is full, then says how many were dropped', async () => {
    const log = await openNodeLog(dir, { maxQueueBytes: 2048 });
    for (let i = 0; i < 200; i++) log.info(`burst ${i}`, { pad: 'q'.repeat(100) });
    const { dropped } = log.stats();
    expect(dropped).to.be.greaterThan(0);
    log.info('after the burst');
    await log.close();
    const events = await readEvents(join(dir, LOG_FILE_NAME));
    const notice = events.find((e) => e.component === 'log');
    expect(notice).to.include({
      level: 'warn',
      message: `dropped ${dropped} log line(s): the disk did not keep up`,
    });
    expect(events.filter((e) => e.message.startsWith('burst'))).to.have.length(200 - dropped);
    expect(events.at(-1)?.message).to.equal('after the burst');
    expect(log.stats()).to.include({ dropped, written: events.length, writeErrors: 0 });
  });

  it('never throws on odd input and bounds every line', async () => {
    const log = await openNodeLog(dir);
    const circular: Record<string, unknown> = {};
    circular.me = circular;
    log.info('odd', { circular, n: 1n, u: undefined, s: Symbol('x') });
    log.info('m'.repeat(100_000));
    log.warn('wide', {
      a: 'a '.repeat(2000),
      b: 'b '.repeat(2000),
      c: 'c '.repeat(2000),
      d: 'd '.repeat(2000),
      e: 'e '.repeat(2000),
    });
    log.error(undefined, 'nothing');
    await log.close();
    log.info('after close');
    await log.close();
    const events = await readEvents(join(dir, LOG_FILE_NAME));
    expect(events).to.have.length(4);
    const lines = (await readFile(join(dir, LOG_FILE_NAME), 'utf8')).split('\n');
    for (const line of lines) expect(line.length).to.be.at.most(MAX_LOG_LINE_CHARS);
    expect(events[2]?.fields).to.have.property('truncated');
    expect(log.stats().dropped).to.equal(1);
  });

  it('counts failed writes (a full disk: /dev/full) and tells onWriteError, without throwing', async function () {
    if (!existsSync('/dev/full')) {
      console.log('      (skipped: this system has no /dev/full)');
      this.skip();
    }
    await symlink('/dev/full', join(dir, LOG_FILE_NAME));
    const errors: unknown[] = [];
    const log = await openNodeLog(dir, { onWriteError: (e) => errors.push(e) });
    log.info('one');
    await log.flush();
    log.info('two');
    log.info('three');
    await log.close();
    const codes = new Set(errors.map((e) => (e as NodeJS.ErrnoException).code));
    expect([...codes]).to.deep.equal(['ENOSPC']);
    expect(log.stats()).to.include({ written: 0, dropped: 3, writeErrors: errors.length });
  });

  it('refuses bad options and component names, and reports an unusable directory as LogFileError', async () => {
    let error = await openNodeLog(dir, { maxFileBytes: 10 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect(String(error)).to.include('maxFileBytes');
    const log = await openNodeLog(dir);
    expect(() => log.child('bad name')).to.throw(RangeError, /"bad name"/);
    await log.close();
    await writeFile(join(dir, 'not-a-dir'), '');
    error = await openNodeLog(join(dir, 'not-a-dir')).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(LogFileError);
    expect((error as LogFileError).message).to.include(join(dir, 'not-a-dir'));
  });
});
