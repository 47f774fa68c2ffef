import { expect } from 'chai';
import type { ReadTestWriteRequest } from '../../../src/storage/backend/backend.js';
import { decodeCbor, encodeCbor } from '../../../src/storage/http/cbor.js';
import {
  encodeAllocateRequest,
  encodeReadTestWriteRequest,
  parseAllocateRequest,
  parseReadTestWriteRequest,
} from '../../../src/storage/http/schemas.js';

/** Encodes a request body to CBOR bytes and decodes it back, as it crosses the wire. */
function overTheWire(body: unknown): unknown {
  return decodeCbor(encodeCbor(body), 'test body');
}

describe('GBS request bodies: the client encoders are the inverse of the server parsers', () => {
  it('allocate', () => {
    const request = {
      renewSecret: new Uint8Array(32),
      cancelSecret: new Uint8Array(32),
      uploadSecret: new Uint8Array(32),
      shareNumbers: [0, 3, 9],
      allocatedSize: 123_456,
    };
    expect(parseAllocateRequest(overTheWire(encodeAllocateRequest(request)))).to.deep.equal({
      shareNumbers: [0, 3, 9],
      allocatedSize: 123_456,
    });
  });

  it('read-test-write', () => {
    const request: ReadTestWriteRequest = {
      writeEnabler: new Uint8Array(32),
      renewSecret: new Uint8Array(32),
      cancelSecret: new Uint8Array(32),
      testWriteVectors: new Map([
        [
          2,
          {
            test: [{ offset: 0, size: 3, specimen: Uint8Array.of(1, 2, 3) }],
            write: [{ offset: 10, data: Uint8Array.of(9, 8) }],
            newLength: null,
          },
        ],
        [5, { test: [], write: [], newLength: 0 }],
      ]),
      readVector: [{ offset: 4, size: 8 }],
    };
    const parsed = parseReadTestWriteRequest(overTheWire(encodeReadTestWriteRequest(request)));
    expect(parsed.readVector).to.deep.equal(request.readVector);
    expect([...parsed.testWriteVectors.keys()]).to.deep.equal([2, 5]);
    const two = parsed.testWriteVectors.get(2);
    expect(two?.newLength).to.equal(null);
    expect(two?.test.map((t) => [t.offset, t.size, [...t.specimen]])).to.deep.equal([[0, 3, [1, 2, 3]]]);
    expect(two?.write.map((w) => [w.offset, [...w.data]])).to.deep.equal([[10, [9, 8]]]);
    expect(parsed.testWriteVectors.get(5)).to.deep.equal({ test: [], write: [], newLength: 0 });
  });
});
