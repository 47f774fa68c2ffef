import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type DiskBackend, openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { BadWriteEnablerError } from '../../../src/storage/backend/errors.js';
import { readImmutableInfo, readImmutableLeases } from '../../../src/storage/backend/immutable-container.js';
import { hashLeaseSecret, LEASE_DURATION_SECONDS } from '../../../src/storage/backend/lease-record.js';
import {
  MUTABLE_DATA_OFFSET,
  readMutableInfo,
  readMutableLeaseSlots,
} from '../../../src/storage/backend/mutable-container.js';
import { bucketDir } from '../../../src/storage/backend/storage-index.js';
import { b32, type FixtureFile, holderId, manifest, shareBytes } from './fixtures.js';
import { bucketLeaseSecrets, writeEnabler } from './tahoe-secrets.js';

const leaseSecret = b32(manifest.client_lease_secret_file);
const chkFiles = manifest.files.filter((f) => f.kind === 'chk');
const mutableFiles = manifest.files.filter((f) => f.kind !== 'chk');

async function withFile<T>(
  bytes: Uint8Array,
  fn: (fh: Awaited<ReturnType<typeof open>>, path: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lafs-container-'));
  const path = join(dir, 'share');
  await writeFile(path, bytes);
  const fh = await open(path, 'r');
  try {
    return await fn(fh, path);
  } finally {
    await fh.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A storage dir holding the given fixture shares at Tahoe's paths. */
async function storageWith(
  file: FixtureFile,
  shnums: number[],
  nodeId: Uint8Array = new Uint8Array(20),
): Promise<DiskBackend> {
  const storageDir = await mkdtemp(join(tmpdir(), 'lafs-fixture-store-'));
  const dir = bucketDir(storageDir, file.storage_index);
  await mkdir(dir, { recursive: true });
  for (const n of shnums) await writeFile(join(dir, String(n)), shareBytes(file, n));
  return openDiskBackend({ storageDir, nodeId });
}

describe('storage backend: real Tahoe containers', () => {
  for (const file of chkFiles) {
    describe(`immutable ${file.dir}`, () => {
      it('parses the v2 header, derives the data length and holds the client lease with BLAKE2b-hashed secrets', async () => {
        const si = b32(file.storage_index);
        for (let shnum = 0; shnum < 10; shnum++) {
          const bytes = shareBytes(file, shnum);
          await withFile(bytes, async (fh, path) => {
            const info = await readImmutableInfo(fh, path);
            expect(info.schemaVersion).to.equal(2);
            expect(info.leaseCount).to.equal(1);
            expect(info.dataLength).to.equal(bytes.length - 12 - 72);
            expect(Buffer.from(bytes).readUInt32BE(4)).to.equal(info.dataLength);
            const [lease] = await readImmutableLeases(fh, info, path);
            const secrets = bucketLeaseSecrets(leaseSecret, si, holderId(file, shnum));
            expect(Buffer.from(lease!.renewSecret).toString('hex')).to.equal(
              Buffer.from(hashLeaseSecret(secrets.renew)).toString('hex'),
            );
            expect(Buffer.from(lease!.cancelSecret).toString('hex')).to.equal(
              Buffer.from(hashLeaseSecret(secrets.cancel)).toString('hex'),
            );
            expect(lease!.expirationTime).to.be.greaterThan(1_600_000_000);
          });
        }
      });

      it('serves the share data of a Tahoe storage directory', async () => {
        const backend = await storageWith(file, [0, 3, 7]);
        const si = b32(file.storage_index);
        expect(await backend.listImmutable(si)).to.deep.equal([0, 3, 7]);
        const bytes = shareBytes(file, 3);
        const length = await backend.immutableShareLength(si, 3);
        expect(length).to.equal(bytes.length - 84);
        const data = await backend.readImmutable(si, 3, 0, length + 100);
        expect(Buffer.from(data).equals(bytes.subarray(12, 12 + length))).to.equal(true);
        expect(await backend.listMutable(si)).to.deep.equal([]);
        await rm(backend.storageDir, { recursive: true, force: true });
      });
    });
  }

  it('writes immutable containers byte-identical to Tahoe when the inputs are equal', async () => {
    const file = chkFiles.find((f) => f.size === 204800)!;
    const si = b32(file.storage_index);
    for (const shnum of [0, 4]) {
      const original = shareBytes(file, shnum);
      const expiration = Buffer.from(original).readUInt32BE(original.length - 4);
      const server = holderId(file, shnum);
      const storageDir = await mkdtemp(join(tmpdir(), 'lafs-write-'));
      const backend = await openDiskBackend({
        storageDir,
        nodeId: server,
        now: () => expiration - LEASE_DURATION_SECONDS,
      });
      const secrets = bucketLeaseSecrets(leaseSecret, si, server);
      const data = original.subarray(12, original.length - 72);
      const upload = new Uint8Array(32).fill(9);
      const alloc = await backend.allocateBuckets(si, {
        renewSecret: secrets.renew,
        cancelSecret: secrets.cancel,
        uploadSecret: upload,
        shareNumbers: [shnum],
        allocatedSize: data.length,
      });
      expect(alloc).to.deep.equal({ alreadyHave: [], allocated: [shnum] });
      const third = Math.floor(data.length / 3);
      // Out of order, in pieces.
      await backend.writeImmutable(si, shnum, upload, third, data.length - third, [data.subarray(third)]);
      const done = await backend.writeImmutable(si, shnum, upload, 0, third, [data.subarray(0, third)]);
      expect(done.complete).to.equal(true);
      const written = await readFile(join(bucketDir(storageDir, file.storage_index), String(shnum)));
      expect(written.length).to.equal(original.length);
      expect(written.equals(original)).to.equal(true);
      await rm(storageDir, { recursive: true, force: true });
    }
  });

  for (const file of mutableFiles) {
    describe(`mutable ${file.dir}`, () => {
      const si = b32(file.storage_index);
      const writeKey = b32(file.cap.split(':')[2]!);

      it('parses the v2 slot container: node id, write enabler, data, leases', async () => {
        for (let shnum = 0; shnum < 10; shnum++) {
          const bytes = shareBytes(file, shnum);
          const server = holderId(file, shnum);
          await withFile(bytes, async (fh, path) => {
            const info = await readMutableInfo(fh, path);
            expect(info.schemaVersion).to.equal(2);
            expect(Buffer.from(info.writeEnablerNodeId).equals(server)).to.equal(true);
            expect(Buffer.from(info.writeEnabler).equals(writeEnabler(writeKey, server))).to.equal(true);
            expect(info.dataLength).to.be.greaterThan(0);
            const leases = (await readMutableLeaseSlots(fh, info, path)).filter((l) => l !== undefined);
            expect(leases).to.have.length(1);
            const secrets = bucketLeaseSecrets(leaseSecret, si, server);
            expect(Buffer.from(leases[0]!.renewSecret).equals(hashLeaseSecret(secrets.renew))).to.equal(true);
            expect(Buffer.from(leases[0]!.nodeId!).equals(server)).to.equal(true);
          });
        }
      });

      it('serves reads and checks the write enabler of a Tahoe slot', async () => {
        const server = holderId(file, 2);
        const backend = await storageWith(file, [2], server);
        const bytes = shareBytes(file, 2);
        expect(await backend.listMutable(si)).to.deep.equal([2]);
        expect(await backend.listImmutable(si)).to.deep.equal([]);
        const length = await backend.mutableShareLength(si, 2);
        const head = await backend.readMutable(si, 2, 0, 100);
        expect(
          Buffer.from(head).equals(bytes.subarray(MUTABLE_DATA_OFFSET, MUTABLE_DATA_OFFSET + 100)),
        ).to.equal(true);
        const secrets = bucketLeaseSecrets(leaseSecret, si, server);
        const request = {
          writeEnabler: writeEnabler(writeKey, server),
          renewSecret: secrets.renew,
          cancelSecret: secrets.cancel,
          testWriteVectors: new Map(),
          readVector: [{ offset: length - 10, size: 50 }],
        };
        const result = await backend.readTestWrite(si, request);
        expect(result.success).to.equal(true);
        expect(
          Buffer.from(result.data.get(2)![0]!).equals(
            bytes.subarray(MUTABLE_DATA_OFFSET + length - 10, MUTABLE_DATA_OFFSET + length),
          ),
        ).to.equal(true);
        const wrong = { ...request, writeEnabler: new Uint8Array(32) };
        let caught: unknown;
        await backend.readTestWrite(si, wrong).catch((e: unknown) => {
          caught = e;
        });
        expect(caught).to.be.instanceOf(BadWriteEnablerError);
        await rm(backend.storageDir, { recursive: true, force: true });
      });

      it('writes slot containers byte-identical to Tahoe when the inputs are equal', async () => {
        const shnum = 5;
        const original = shareBytes(file, shnum);
        const server = holderId(file, shnum);
        const expiration = Buffer.from(original).readUInt32BE(100 + 4);
        const storageDir = await mkdtemp(join(tmpdir(), 'lafs-slot-'));
        const backend = await openDiskBackend({
          storageDir,
          nodeId: server,
          now: () => expiration - LEASE_DURATION_SECONDS,
        });
        const length = Number(Buffer.from(original).readBigUInt64BE(84));
        const data = original.subarray(MUTABLE_DATA_OFFSET, MUTABLE_DATA_OFFSET + length);
        const secrets = bucketLeaseSecrets(leaseSecret, si, server);
        const result = await backend.readTestWrite(si, {
          writeEnabler: writeEnabler(writeKey, server),
          renewSecret: secrets.renew,
          cancelSecret: secrets.cancel,
          testWriteVectors: new Map([
            [
              shnum,
              {
                test: [{ offset: 0, size: 1, specimen: new Uint8Array(0) }],
                write: [{ offset: 0, data }],
                newLength: null,
              },
            ],
          ]),
          readVector: [],
        });
        expect(result.success).to.equal(true);
        const written = await readFile(join(bucketDir(storageDir, file.storage_index), String(shnum)));
        expect(written.length).to.equal(original.length);
        expect(written.equals(original)).to.equal(true);
        await rm(storageDir, { recursive: true, force: true });
      });
    });
  }
});
