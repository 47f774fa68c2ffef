import { expect } from 'chai';
import { decodeCbor, encodeCbor } from '../../../src/storage/http/cbor.js';
import { SchemaError } from '../../../src/storage/http/errors.js';
import {
  authorizationHeader,
  formatContentRange,
  parseContentRange,
  parseRange,
  parseSecrets,
  secretHeader,
} from '../../../src/storage/http/headers.js';
import { buildPath, matchRoute, type Operation } from '../../../src/storage/http/paths.js';
import { encodeVersion, parseReadTestWriteRequest, parseVersion } from '../../../src/storage/http/schemas.js';

const si = 'kddbm7ff2vsjqc4wek3isi7emy';

describe('GBS headers', () => {
  it('formats the swissnum Authorization header as Tahoe does', () => {
    expect(authorizationHeader('w4s5hdb4jvnt6spfow666feuwf4rdsdc')).to.equal(
      `Tahoe-LAFS ${Buffer.from('w4s5hdb4jvnt6spfow666feuwf4rdsdc').toString('base64')}`,
    );
  });

  it('parses exactly the required X-Tahoe-Authorization secrets', () => {
    const s32 = new Uint8Array(32).fill(7);
    const ok = parseSecrets(
      [secretHeader('lease-renew-secret', s32), ` ${secretHeader('upload-secret', Uint8Array.of(1, 2, 3))} `],
      ['lease-renew-secret', 'upload-secret'],
    );
    expect([...ok.get('upload-secret')!]).to.deep.equal([1, 2, 3]);
    const bad: [string[], string][] = [
      [[secretHeader('upload-secret', s32)], 'missing'],
      [
        [
          secretHeader('lease-renew-secret', s32),
          secretHeader('upload-secret', s32),
          secretHeader('write-enabler', s32),
        ],
        'unexpected',
      ],
      [
        [secretHeader('lease-renew-secret', new Uint8Array(31)), secretHeader('upload-secret', s32)],
        '32 bytes',
      ],
      [['lease-renew-secret !!!!', secretHeader('upload-secret', s32)], 'base64'],
      [['launch-codes AAAA', secretHeader('upload-secret', s32)], 'unknown'],
      [
        [
          secretHeader('upload-secret', s32),
          secretHeader('upload-secret', s32),
          secretHeader('lease-renew-secret', s32),
        ],
        'twice',
      ],
    ];
    for (const [values, why] of bad) {
      expect(() => parseSecrets(values, ['lease-renew-secret', 'upload-secret']), why).to.throw(
        SchemaError,
        why,
      );
    }
  });

  it('parses only single, closed byte ranges', () => {
    expect(parseRange('bytes=0-15')).to.deep.equal({ begin: 0, end: 16 });
    for (const bad of ['bytes=5-', 'bytes=-5', 'bytes=0-1,3-4', 'items=0-1', 'bytes=9-3', 'bytes=a-b']) {
      expect(parseRange(bad), bad).to.equal(undefined);
    }
    expect(parseContentRange('bytes 16-31/48')).to.deep.equal({ begin: 16, end: 32, total: 48 });
    expect(parseContentRange('bytes 16-31/*')).to.deep.equal({ begin: 16, end: 32, total: undefined });
    expect(parseContentRange('bytes 16-48/48')).to.equal(undefined);
    expect(formatContentRange({ begin: 0, end: 48 }, 48)).to.equal('bytes 0-47/48');
  });
});

describe('GBS paths', () => {
  const cases: [Operation, string, string][] = [
    ['version', 'GET', '/storage/v1/version'],
    ['lease', 'PUT', `/storage/v1/lease/${si}`],
    ['allocate', 'POST', `/storage/v1/immutable/${si}`],
    ['write', 'PATCH', `/storage/v1/immutable/${si}/7`],
    ['abort', 'PUT', `/storage/v1/immutable/${si}/7/abort`],
    ['list-immutable', 'GET', `/storage/v1/immutable/${si}/shares`],
    ['read-immutable', 'GET', `/storage/v1/immutable/${si}/7`],
    ['corrupt-immutable', 'POST', `/storage/v1/immutable/${si}/7/corrupt`],
    ['read-test-write', 'POST', `/storage/v1/mutable/${si}/read-test-write`],
    ['list-mutable', 'GET', `/storage/v1/mutable/${si}/shares`],
    ['read-mutable', 'GET', `/storage/v1/mutable/${si}/7`],
    ['corrupt-mutable', 'POST', `/storage/v1/mutable/${si}/7/corrupt`],
  ];
  for (const [operation, method, path] of cases) {
    it(`${method} ${path.replace(si, ':si')} ↔ ${operation}`, () => {
      expect(buildPath(operation, si, 7)).to.equal(path);
      const route = matchRoute(method, path);
      expect(route).to.include({ operation });
    });
  }
  it('distinguishes unknown paths from wrong methods', () => {
    expect(matchRoute('GET', '/storage/v1/immutable/UPPERCASE0000000000000000000/1')).to.equal(undefined);
    expect(matchRoute('GET', `/storage/v1/immutable/${si}/007`)).to.equal(undefined);
    expect(matchRoute('GET', `/storage/v1/immutable/${si}/1000`)).to.equal(undefined);
    expect(matchRoute('DELETE', `/storage/v1/immutable/${si}/1`)).to.equal('method-not-allowed');
  });
});

describe('GBS CBOR schemas', () => {
  it('round-trips the version reply with byte-string keys as Tahoe sends it', () => {
    const v = {
      maximumImmutableShareSize: 5,
      maximumMutableShareSize: 6,
      availableSpace: 7,
      applicationVersion: 'x/1',
    };
    const wire = encodeCbor(encodeVersion(v));
    // First key is the byte string 'http://allmydata.org/tahoe/protocols/storage/v1' (major type 2).
    expect(wire[0]).to.equal(0xa2);
    expect((wire[1] ?? 0) >> 5).to.equal(2);
    expect(parseVersion(decodeCbor(wire, 'version'))).to.deep.equal(v);
  });

  it('validates read-test-write requests field by field', () => {
    const good = new Map<string, unknown>([
      [
        'test-write-vectors',
        new Map([
          [
            0,
            new Map<string, unknown>([
              ['test', []],
              ['write', []],
              ['new-length', null],
            ]),
          ],
        ]),
      ],
      [
        'read-vector',
        [
          new Map([
            ['offset', 0],
            ['size', 5],
          ]),
        ],
      ],
    ]);
    expect(parseReadTestWriteRequest(decodeCbor(encodeCbor(good), 'rtw')).readVector).to.deep.equal([
      { offset: 0, size: 5 },
    ]);
    const tooMany = new Map<string, unknown>([
      ['test-write-vectors', new Map()],
      [
        'read-vector',
        Array.from(
          { length: 31 },
          () =>
            new Map([
              ['offset', 0],
              ['size', 1],
            ]),
        ),
      ],
    ]);
    expect(() => parseReadTestWriteRequest(decodeCbor(encodeCbor(tooMany), 'rtw'))).to.throw(
      SchemaError,
      'read-vector',
    );
    const negative = new Map<string, unknown>([
      [
        'test-write-vectors',
        new Map([
          [
            0,
            new Map<string, unknown>([
              ['test', []],
              [
                'write',
                [
                  new Map<string, unknown>([
                    ['offset', -1],
                    ['data', new Uint8Array(1)],
                  ]),
                ],
              ],
              ['new-length', null],
            ]),
          ],
        ]),
      ],
      ['read-vector', []],
    ]);
    expect(() => parseReadTestWriteRequest(decodeCbor(encodeCbor(negative), 'rtw'))).to.throw(
      SchemaError,
      'offset',
    );
  });
});
