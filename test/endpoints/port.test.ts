import { expect } from 'chai';
import { checkPort, isValidPort, MAX_PORT, portFromText } from '../../src/endpoints/host.js';

describe('endpoints: port checks (isValidPort, checkPort, portFromText)', () => {
  it('isValidPort accepts integers 1-65535, and 0 only with min 0', () => {
    for (const good of [1, 80, MAX_PORT]) expect(isValidPort(good), String(good)).to.equal(true);
    for (const bad of [
      0,
      65536,
      1.5,
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '80',
      '80x',
      undefined,
      null,
    ]) {
      expect(isValidPort(bad), String(bad)).to.equal(false);
    }
    expect(isValidPort(0, 0)).to.equal(true);
    expect(isValidPort(-1, 0)).to.equal(false);
    expect(isValidPort(65536, 0)).to.equal(false);
  });

  it('checkPort returns a good port and otherwise throws a RangeError naming the value and its source', () => {
    expect(checkPort(3457, 'the test port')).to.equal(3457);
    expect(checkPort(0, 'the test port', 0)).to.equal(0);
    const cases: [unknown, RegExp][] = [
      [0, /^the test port must be a TCP port 1-65535, got 0$/],
      [65536, /^the test port must be a TCP port 1-65535, got 65536$/],
      [1.5, /^the test port must be a TCP port 1-65535, got 1\.5$/],
      ['80x', /^the test port must be a TCP port 1-65535, got "80x"$/],
      [undefined, /got undefined$/],
    ];
    for (const [value, message] of cases) {
      expect(() => checkPort(value, 'the test port'), String(value)).to.throw(RangeError, message);
    }
    expect(() => checkPort(-1, 'the test port', 0)).to.throw(RangeError, /TCP port 0-65535, got -1$/);
  });

  it('portFromText reads 1-5 decimal digits in range, and nothing else', () => {
    expect(portFromText('80')).to.equal(80);
    expect(portFromText('65535')).to.equal(65535);
    expect(portFromText('0')).to.equal(undefined);
    expect(portFromText('0', 0)).to.equal(0);
    expect(portFromText('00080')).to.equal(80);
    for (const bad of ['65536', '1.5', '80x', '', ' 80', '+80', '-1', '0x50', '1e2', '000080', '８０']) {
      expect(portFromText(bad), JSON.stringify(bad)).to.equal(undefined);
      expect(portFromText(bad, 0), JSON.stringify(bad)).to.equal(undefined);
    }
  });
});
