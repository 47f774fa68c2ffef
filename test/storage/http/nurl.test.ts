import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { NurlParseError } from '../../../src/storage/http/errors.js';
import { formatNurl, parseNurl } from '../../../src/storage/http/nurl.js';
import { sharedDir } from '../../support/paths.js';

const announcements = parse(
  readFileSync(join(sharedDir, 'fixtures', 'tahoe-grid', 'announcements.yaml'), 'utf8'),
) as {
  ann: { 'anonymous-storage-NURLs': string[] };
}[];
const hash = 'DWQZhOgRVTlEW3KAXLyK5gyRI2rT610DdH4VU_2yj0I';

describe('NURLs (url.rst)', () => {
  it('parses and re-formats the NURLs real Tahoe servers announced', () => {
    const nurls = announcements.flatMap((a) => a.ann['anonymous-storage-NURLs']);
    expect(nurls).to.have.length(5);
    for (const text of nurls) {
      const nurl = parseNurl(text);
      expect(nurl.scheme).to.equal('pb');
      expect(nurl.host).to.equal('127.0.0.1');
      expect(nurl.spkiHash).to.have.length(43);
      expect(formatNurl(nurl)).to.equal(text);
    }
  });

  it('handles onion, I2P (port optional) and IPv6 locations', () => {
    const onion = `pb+tor://${hash}@${'a'.repeat(56)}.onion:3456/swiss#v=1`;
    expect(parseNurl(onion)).to.include({ scheme: 'pb+tor', port: 3456, swissnum: 'swiss' });
    expect(
      formatNurl({ spkiHash: hash, host: `${'a'.repeat(56)}.onion`, port: 3456, swissnum: 'swiss' }),
    ).to.equal(onion);
    const i2p = `pb+i2p://${hash}@${'b'.repeat(52)}.b32.i2p/swiss#v=1`;
    expect(parseNurl(i2p)).to.include({ scheme: 'pb+i2p', port: undefined });
    expect(formatNurl(parseNurl(i2p))).to.equal(i2p);
    const v6 = `pb://${hash}@[::1]:1234/swiss#v=1`;
    expect(parseNurl(v6)).to.include({ host: '::1', port: 1234 });
    expect(formatNurl(parseNurl(v6))).to.equal(v6);
  });

  for (const [bad, why] of [
    [`pb://${hash}@127.0.0.1:1234/swiss`, 'no #v=1'],
    [`pb://${hash}@127.0.0.1/swiss#v=1`, 'no port'],
    [`pb://${hash}@127.0.0.1:99999/swiss#v=1`, 'port out of range'],
    [`pb://short@127.0.0.1:1/swiss#v=1`, 'short hash'],
    [`http://${hash}@127.0.0.1:1/swiss#v=1`, 'wrong scheme'],
    [`pb+tor://${hash}@example.com:1/swiss#v=1`, 'tor without onion'],
    [`pb+i2p://${hash}@example.com/swiss#v=1`, 'i2p without .i2p'],
    [`pb://${hash}@127.0.0.1:1/sw%20iss#v=1`, 'swissnum not unreserved'],
  ] as const) {
    it(`rejects ${why}`, () => {
      expect(() => parseNurl(bad)).to.throw(NurlParseError);
    });
  }
});
