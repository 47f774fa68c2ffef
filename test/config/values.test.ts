import { expect } from 'chai';
import {
  parseAbbreviatedSize,
  parseBoolean,
  parseDate,
  parseDuration,
  parseInteger,
} from '../../src/config/values.js';

describe('config/values', () => {
  it('parseBoolean accepts Tahoe spellings in any case and refuses the rest', () => {
    for (const t of ['true', 'True', 'YES', 'on', '1', ' yes ']) expect(parseBoolean(t), t).to.equal(true);
    for (const f of ['false', 'False', 'NO', 'off', '0']) expect(parseBoolean(f), f).to.equal(false);
    for (const bad of ['', 'y', 'n', 'enabled', '2', 'truee']) {
      expect(() => parseBoolean(bad), bad).to.throw(RangeError, /not a boolean/);
    }
  });

  it('parseAbbreviatedSize matches abbreviate.parse_abbreviated_size', () => {
    const cases: [string, number | undefined][] = [
      ['', undefined],
      ['0', 0],
      ['100000000', 100_000_000],
      ['100MB', 100_000_000],
      ['100000kb', 100_000_000],
      ['100000000B', 100_000_000],
      ['1G', 1_000_000_000],
      ['1g', 1_000_000_000],
      ['1MiB', 1_048_576],
      ['1024KiB', 1_048_576],
      ['1GiB', 2 ** 30],
      ['1Gi', 2 ** 30],
      ['1i', 1],
      ['2TB', 2e12],
      ['7P', 7e15],
    ];
    for (const [text, bytes] of cases) expect(parseAbbreviatedSize(text), text).to.equal(bytes);
  });

  it('parseAbbreviatedSize refuses what Tahoe refuses (blanks, fractions, unknown suffixes) and overflow', () => {
    for (const bad of ['100 M', '1.5G', 'G', '1X', '-1', '1BB', '10EiB']) {
      expect(() => parseAbbreviatedSize(bad), bad).to.throw(RangeError);
    }
  });

  it('parseInteger accepts Python int() spellings within bounds', () => {
    expect(parseInteger(' 42 ')).to.equal(42);
    expect(parseInteger('+7')).to.equal(7);
    expect(parseInteger('1_000')).to.equal(1000);
    expect(() => parseInteger('4.2')).to.throw(/not an integer/);
    expect(() => parseInteger('0x10')).to.throw(/not an integer/);
    expect(() => parseInteger('300', 1, 256)).to.throw(/out of range/);
  });

  it('parseDuration matches time_format.parse_duration', () => {
    expect(parseDuration('3600s')).to.equal(3600);
    expect(parseDuration('60 days')).to.equal(60 * 86400);
    expect(parseDuration('1 Day')).to.equal(86400);
    expect(parseDuration('2mo')).to.equal(2 * 31 * 86400);
    expect(parseDuration('1 year')).to.equal(365 * 86400);
    for (const bad of ['60', 'days', '1 week', '1.5 days'])
      expect(() => parseDuration(bad), bad).to.throw(RangeError);
  });

  it('parseDate gives the UTC midnight and refuses impossible dates', () => {
    expect(parseDate('2009-01-31')).to.equal(Date.UTC(2009, 0, 31) / 1000);
    for (const bad of ['2009-02-30', '2009-1-31', 'yesterday', ''])
      expect(() => parseDate(bad), bad).to.throw(RangeError);
  });
});
