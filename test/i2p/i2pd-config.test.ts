import { expect } from 'chai';
import { renderI2pdConfig } from '../../src/i2p/i2pd-config.js';

/** Parses the rendered INI into "section.key" -> value (top-level keys have no section prefix). */
function settings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = `${header[1]}.`;
      continue;
    }
    const eq = line.indexOf('=');
    out.set(`${section}${line.slice(0, eq).trim()}`, line.slice(eq + 1).trim());
  }
  return out;
}

describe('i2p/i2pd-config', () => {
  it('isolated mode: private netid, loopback, own floodfill, no reseed', () => {
    const s = settings(renderI2pdConfig({ dataDir: '/d', samPort: 7001, mode: 'isolated', ntcp2Port: 7002 }));
    expect(s.get('netid')).to.equal('77');
    expect(s.get('host')).to.equal('127.0.0.1');
    expect(s.get('address4')).to.equal('127.0.0.1');
    expect(s.get('floodfill')).to.equal('true');
    expect(s.get('ntcp2.port')).to.equal('7002');
    expect(s.get('ntcp2.published')).to.equal('true');
    expect(s.get('ssu2.enabled')).to.equal('false');
    expect(s.get('reseed.urls')).to.equal('');
    expect(s.get('addressbook.enabled')).to.equal('true');
    expect(s.get('addressbook.subscriptions')).to.equal('');
    expect(s.get('nettime.enabled')).to.equal('false');
    expect(s.get('exploratory.inbound.length')).to.equal('0');
  });

  for (const mode of ['isolated', 'network'] as const) {
    it(`${mode} mode: SAM on 127.0.0.1, proxies, console and UPnP off, files in the data dir`, () => {
      const s = settings(renderI2pdConfig({ dataDir: '/data/i2p', samPort: 7656, mode, ntcp2Port: 7002 }));
      expect(s.get('sam.enabled')).to.equal('true');
      expect(s.get('sam.address')).to.equal('127.0.0.1');
      expect(s.get('sam.port')).to.equal('7656');
      for (const off of ['http', 'httpproxy', 'socksproxy', 'bob', 'i2cp', 'i2pcontrol', 'upnp']) {
        expect(s.get(`${off}.enabled`), off).to.equal('false');
      }
      expect(s.get('http.address')).to.equal('127.0.0.1');
      expect(s.get('logfile')).to.equal('/data/i2p/i2pd.log');
      expect(s.get('pidfile')).to.equal('/data/i2p/i2pd.pid');
      expect(s.get('daemon')).to.equal('false');
    });
  }

  it('network mode keeps i2pd transport defaults and verified reseeding', () => {
    const s = settings(renderI2pdConfig({ dataDir: '/d', samPort: 7656, mode: 'network' }));
    expect(s.has('netid')).to.equal(false);
    expect(s.has('floodfill')).to.equal(false);
    expect(s.get('reseed.verify')).to.equal('true');
  });

  it('turns the web console on at 127.0.0.1 when given a port', () => {
    const s = settings(renderI2pdConfig({ dataDir: '/d', samPort: 7656, mode: 'network', httpPort: 7070 }));
    expect(s.get('http.enabled')).to.equal('true');
    expect(s.get('http.address')).to.equal('127.0.0.1');
    expect(s.get('http.port')).to.equal('7070');
  });

  it('names each bad port setting and its value (0, 65536, 1.5; httpPort 0 means off)', () => {
    for (const port of [0, 65536, 1.5]) {
      for (const key of ['samPort', 'ntcp2Port'] as const) {
        const config = { dataDir: '/d', samPort: 7656, mode: 'network' as const, [key]: port };
        expect(() => renderI2pdConfig(config), `${key} ${port}`).to.throw(
          RangeError,
          new RegExp(`^i2pd ${key} must be a TCP port 1-65535, got ${String(port).replace('.', '\\.')}$`),
        );
      }
    }
    for (const httpPort of [-1, 65536, 1.5]) {
      expect(() => renderI2pdConfig({ dataDir: '/d', samPort: 7656, mode: 'network', httpPort })).to.throw(
        RangeError,
        /^i2pd httpPort must be a TCP port 0-65535, got /,
      );
    }
    const off = settings(renderI2pdConfig({ dataDir: '/d', samPort: 7656, mode: 'network', httpPort: 0 }));
    expect(off.get('http.enabled')).to.equal('false');
  });

  it('refuses bad ports, a missing isolated NTCP2 port and newlines in paths', () => {
    expect(() => renderI2pdConfig({ dataDir: '/d', samPort: 0, mode: 'network' })).to.throw(
      RangeError,
      /samPort/,
    );
    expect(() => renderI2pdConfig({ dataDir: '/d', samPort: 70000, mode: 'network' })).to.throw(RangeError);
    expect(() => renderI2pdConfig({ dataDir: '/d', samPort: 1, mode: 'isolated' })).to.throw(
      RangeError,
      /ntcp2Port/,
    );
    expect(() => renderI2pdConfig({ dataDir: '/d\nfloodfill = true', samPort: 1, mode: 'network' })).to.throw(
      RangeError,
      /newlines/,
    );
  });
});
