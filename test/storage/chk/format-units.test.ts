import { expect } from 'chai';
import { base32Encode } from '../../../src/crypto/base32.js';
import { uriExtensionHash } from '../../../src/crypto/hashutil.js';
import { ShareLayoutError, UriExtensionError } from '../../../src/storage/chk/errors.js';
import {
  numShareHashes,
  packShareHeader,
  parseShareHeader,
  shareLayout,
} from '../../../src/storage/chk/layout.js';
import { chkParams, DEFAULT_MAX_SEGMENT_SIZE } from '../../../src/storage/chk/params.js';
import { pythonSetOrder } from '../../../src/storage/chk/python-set-order.js';
import { readSegments } from '../../../src/storage/chk/source.js';
import {
  packUriExtension,
  parseUriExtension,
  parseUriExtensionFields,
} from '../../../src/storage/chk/ueb.js';
import { immutableShareData, loadManifest } from '../support/tahoe-grid.js';

const te = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('storage/chk: parameters, layout, UEB, set order, segmenting', () => {
  it('follows Tahoe: 1 MiB default segments, shrunk for small files, rounded to a multiple of k', () => {
    expect(DEFAULT_MAX_SEGMENT_SIZE).to.equal(1048576);
    const p = chkParams(2621440, 3, 10);
    expect(p.segmentSize).to.equal(1048578);
    expect(p.numSegments).to.equal(3);
    expect(p.tailSize).to.equal(2621440 - 2 * 1048578);
    expect(p.paddedTailSize % 3).to.equal(0);
    expect(p.shareDataSize).to.equal(Math.ceil(2621440 / 3));
    expect(p.blockSize * 2 + p.tailBlockSize).to.equal(p.shareDataSize);
    const small = chkParams(56, 3, 10);
    expect([small.segmentSize, small.numSegments, small.blockSize]).to.deep.equal([57, 1, 19]);
    expect(() => chkParams(100, 4, 3)).to.throw(RangeError);
  });

  it('parses the UEB of a real Tahoe share and re-packs it byte for byte', () => {
    const file = loadManifest().files.find((f) => f.dir === 'chk-204800');
    if (!file) throw new Error('fixture missing');
    const share = immutableShareData(file, 0);
    const h = parseShareHeader(share);
    const len = Buffer.from(share).readUInt32BE(h.offsets.uriExtension);
    const ueb = share.subarray(h.offsets.uriExtension + 4, h.offsets.uriExtension + 4 + len);
    expect(base32Encode(uriExtensionHash(ueb))).to.equal(file.cap.split(':')[3]);
    const parsed = parseUriExtension(ueb);
    expect(parsed.size).to.equal(204800);
    expect(parsed.codecParams).to.equal('204801-3-10');
    expect(Buffer.from(packUriExtension(parsed)).equals(Buffer.from(ueb))).to.equal(true);
    // layout of that share, as the encoder would compute it
    const layout = shareLayout(h.blockSize, h.dataSize, parsed.numSegments, 10, ueb.length);
    expect(layout.offsets).to.deep.equal(h.offsets);
    expect(layout.shareSize).to.equal(share.length);
    expect(numShareHashes(10)).to.equal(5);
  });

  it('rejects malformed UEBs with the field named', () => {
    expect(() => parseUriExtensionFields(te('size:3:100'))).to.throw(UriExtensionError, /size/);
    expect(() => parseUriExtensionFields(te('size:3:100,size:3:100,'))).to.throw(
      UriExtensionError,
      /duplicate/,
    );
    expect(() => parseUriExtensionFields(te('si ze:1:1,'))).to.throw(UriExtensionError, /bad key/);
    expect(() => parseUriExtension(te('size:3:100,')))
      .to.throw(UriExtensionError)
      .with.property('field', 'codec_name');
  });

  it('packs and parses v1 and v2 headers and refuses bad ones', () => {
    for (const forceV2 of [false, true]) {
      const layout = shareLayout(1000, 3000, 3, 10, 400, forceV2);
      const bytes = packShareHeader(layout);
      expect(bytes.length).to.equal(forceV2 ? 0x44 : 0x24);
      expect(parseShareHeader(bytes)).to.deep.equal({
        version: layout.version,
        blockSize: 1000,
        dataSize: 3000,
        offsets: layout.offsets,
      });
    }
    expect(shareLayout(2 ** 32, 2 ** 33, 1, 10, 400).version).to.equal(2);
    const bad = Buffer.from(packShareHeader(shareLayout(1000, 3000, 3, 10, 400)));
    bad.writeUInt32BE(7, 0);
    expect(() => parseShareHeader(bad)).to.throw(ShareLayoutError, /version 7/);
    const disordered = Buffer.from(packShareHeader(shareLayout(1000, 3000, 3, 10, 400)));
    disordered.writeUInt32BE(5, 0x14);
    expect(() => parseShareHeader(disordered)).to.throw(ShareLayoutError, /crypttextHashTree/);
    expect(() => parseShareHeader(new Uint8Array(10))).to.throw(ShareLayoutError);
  });

  it('reproduces CPython set iteration order (checked against CPython 3.11)', () => {
    // set([8, 4, 2]) then .add(7): an 8-slot table, slot order
    expect(pythonSetOrder([8, 4, 2, 7])).to.deep.equal([8, 2, 4, 7]);
    // five keys force a resize to 32 slots: sorted for keys < 32
    expect(pythonSetOrder([16, 8, 4, 2, 15])).to.deep.equal([2, 4, 8, 15, 16]);
    // collisions in a 32-slot table use linear probing
    expect(pythonSetOrder([256, 128, 64, 32, 16, 8, 4, 2, 255])).to.deep.equal([
      256, 32, 64, 128, 4, 2, 8, 16, 255,
    ]);
    expect(pythonSetOrder([3, 3, 1])).to.deep.equal([1, 3]);
  });

  it('re-chunks a stream into fixed segments and checks its length', async () => {
    async function* chunks(): AsyncIterable<Uint8Array> {
      yield new Uint8Array([1, 2, 3]);
      yield new Uint8Array([]);
      yield new Uint8Array([4, 5, 6, 7, 8]);
    }
    const out: number[][] = [];
    for await (const seg of readSegments(chunks(), 3, 8)) out.push([...seg]);
    expect(out).to.deep.equal([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
    let error: unknown;
    try {
      for await (const _ of readSegments(chunks(), 3, 9)) {
        // drain
      }
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.match(/8 bytes, expected 9/);
  });
});
