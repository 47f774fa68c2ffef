import { expect } from 'chai';
import { RangeNotSatisfiableError } from '../../../src/node/gateway/errors.js';
import { contentTypeFor } from '../../../src/node/gateway/mime.js';
import { resolveRange } from '../../../src/node/gateway/range.js';

describe('gateway Range header', () => {
  it('resolves one bytes range, truncating overruns', () => {
    expect(resolveRange('bytes=0-0', 10)).to.deep.equal({ start: 0, end: 0 });
    expect(resolveRange('bytes=2-5', 10)).to.deep.equal({ start: 2, end: 5 });
    expect(resolveRange('bytes=8-', 10)).to.deep.equal({ start: 8, end: 9 });
    expect(resolveRange('bytes=8-100', 10)).to.deep.equal({ start: 8, end: 9 });
    expect(resolveRange('bytes=-3', 10)).to.deep.equal({ start: 7, end: 9 });
    expect(resolveRange('bytes=-30', 10)).to.deep.equal({ start: 0, end: 9 });
    expect(resolveRange('BYTES = 1 - 2', 10)).to.deep.equal({ start: 1, end: 2 });
  });

  it('ignores what it does not support: none, other units, several ranges, bad syntax', () => {
    for (const h of [
      undefined,
      'items=0-1',
      'bytes=0-1,3-4',
      'bytes=5-2',
      'bytes=-',
      'bytes=a-b',
      'bytes=1e3-',
    ]) {
      expect(resolveRange(h, 10), String(h)).to.equal(undefined);
    }
  });

  it('416 for a start at or past the end and for empty suffixes', () => {
    for (const [h, size] of [
      ['bytes=10-', 10],
      ['bytes=10-20', 10],
      ['bytes=0-', 0],
      ['bytes=-0', 10],
      ['bytes=-5', 0],
    ] as const) {
      expect(() => resolveRange(h, size), h).to.throw(RangeNotSatisfiableError);
    }
  });
});

describe('gateway content types', () => {
  it('maps common extensions, case-insensitively, else octet-stream', () => {
    expect(contentTypeFor('a.PNG')).to.equal('image/png');
    expect(contentTypeFor('x.tar.gz')).to.equal('application/gzip');
    expect(contentTypeFor('README')).to.equal('application/octet-stream');
    expect(contentTypeFor('trailing.')).to.equal('application/octet-stream');
  });
});
