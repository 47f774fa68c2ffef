import { expect } from 'chai';
import { isLoopbackInterface } from '../../src/config/anonymity.js';
import { ConfigPrivacyError, ConflictingConfigError } from '../../src/config/errors.js';
import { PrivacyError } from '../../src/errors.js';
import { parseText, summary } from './helpers.js';

const ONION = 'rcmqzftshazkmhdyd3yrknmtwkd3tlc27pa6greegv4azymunlbb2iid.onion';
const I2P = 'of7m7ip5kced6nku3i5r2cgzhmggxfa2jqkagli73qqe4x6nmlja.b32.i2p';

/** An anonymous node whose [node] section holds `node` and whose other sections follow. */
function anonymous(
  node: Record<string, string>,
  rest = '',
  flag = 'reveal-IP-address = false',
): ReturnType<typeof parseText> {
  const values: Record<string, string> = {
    'tub.port': 'tcp:39835:interface=127.0.0.1',
    'tub.location': `tor:${ONION}:3457`,
    'web.port': 'tcp:3456:interface=127.0.0.1',
    ...node,
  };
  const lines = Object.entries(values)
    .filter(([, v]) => v !== '<unset>')
    .map(([k, v]) => `${k} = ${v}`);
  return parseText(`[node]\n${flag}\n${lines.join('\n')}\n${rest}`);
}

function privacy(result: ReturnType<typeof parseText>): ConfigPrivacyError[] {
  return result.problems.filter((p): p is ConfigPrivacyError => p instanceof ConfigPrivacyError);
}

describe('config/anonymity: reveal-IP-address = false', () => {
  it('accepts a safe onion-service node and implies [connections] tcp = tor', () => {
    const r = anonymous({});
    expect(r.problems).to.deep.equal([]);
    expect(r.settings?.anonymous).to.equal(true);
    expect(r.settings?.connections).to.deep.equal({ tcp: 'tor', tcpSource: 'anonymity' });
  });

  describe('the older spelling anonymize = true', () => {
    it('means the same as reveal-IP-address = false', () => {
      const r = anonymous({}, '', 'anonymize = true');
      expect(r.settings?.anonymous).to.equal(true);
      expect(r.warnings.join()).to.match(/older spelling/);
      expect(privacy(anonymous({ 'tub.location': 'AUTO' }, '', 'anonymize = yes'))).to.have.length(1);
    });

    it('may be combined with reveal-IP-address when they agree', () => {
      expect(anonymous({}, '', 'anonymize = true\nreveal-IP-address = false').problems).to.deep.equal([]);
      const open = parseText(
        '[node]\nanonymize = false\nreveal-IP-address = true\ntub.port = tcp:1\ntub.location = tcp:h.example:1\n',
      );
      expect(open.problems).to.deep.equal([]);
      expect(open.settings?.anonymous).to.equal(false);
    });

    it('refuses a contradiction, naming both keys, and stays anonymous meanwhile', () => {
      for (const flags of [
        'anonymize = true\nreveal-IP-address = true',
        'anonymize = false\nreveal-IP-address = false',
      ]) {
        const r = anonymous({ 'tub.location': 'AUTO' }, '', flags);
        const conflict = r.problems.find((p) => p instanceof ConflictingConfigError);
        expect(conflict?.message, flags).to.match(/anonymize = .*contradicts "reveal-IP-address = /);
        expect(privacy(r), flags).to.have.length(1); // the AUTO refusal: treated as anonymous
      }
    });
  });

  describe('[connections] tcp', () => {
    it('refuses tcp = tcp with a PrivacyError naming key, value and the alternative', () => {
      const [error] = privacy(anonymous({}, '[connections]\ntcp = tcp\n'));
      expect(error).to.be.instanceOf(PrivacyError);
      expect(error?.kind).to.equal('privacy');
      expect(error).to.include({ section: 'connections', key: 'tcp', value: 'tcp', line: 7 });
      expect(error?.message).to.match(/tcp = tor/);
    });

    it('accepts tcp = tor and tcp = disabled', () => {
      expect(anonymous({}, '[connections]\ntcp = tor\n').problems).to.deep.equal([]);
      const r = anonymous({}, '[connections]\ntcp = disabled\n');
      expect(r.problems).to.deep.equal([]);
      expect(r.settings?.connections.tcp).to.equal('disabled');
    });

    it('refuses the implied tcp = tor when Tor is disabled, pointing to tcp = disabled', () => {
      const r = anonymous({}, '[tor]\nenabled = false\n');
      expect(summary(r)).to.deep.equal(['ERR_CONFIG_CONFLICT [tor] enabled']);
      expect(r.problems[0]?.message).to.match(/tcp = disabled/);
      expect(anonymous({}, '[tor]\nenabled = false\n[connections]\ntcp = disabled\n').problems).to.deep.equal(
        [],
      );
    });
  });

  describe('[node] tub.location', () => {
    it('accepts tor:, i2p:, UNREACHABLE and disabled', () => {
      for (const location of [
        `tor:${ONION}:3457`,
        `i2p:${I2P}`,
        `i2p:${I2P}:3457,tor:${ONION}:3457`,
        'UNREACHABLE',
      ]) {
        expect(anonymous({ 'tub.location': location }).problems, location).to.deep.equal([]);
      }
      const off = anonymous(
        { 'tub.port': 'disabled', 'tub.location': 'disabled' },
        '[storage]\nenabled = false\n',
      );
      expect(off.problems).to.deep.equal([]);
    });

    it('refuses AUTO and AUTODETECT, alone or mixed', () => {
      for (const location of ['AUTO', 'AUTODETECT', `tor:${ONION}:3457,AUTO`]) {
        const errors = privacy(anonymous({ 'tub.location': location }));
        expect(errors, location).to.have.length(1);
        expect(errors[0]).to.include({ section: 'node', key: 'tub.location', value: location });
        expect(errors[0]?.message).to.match(/AUTO.*tor:\/i2p:/);
      }
    });

    it('refuses a missing tub.location, because it defaults to AUTO', () => {
      const errors = privacy(anonymous({ 'tub.location': '<unset>' }));
      expect(errors).to.have.length(1);
      expect(errors[0]?.message).to.match(/missing.*defaults to AUTO/);
    });

    it('refuses tcp: hints and legacy HOST:PORT hints, naming the hint', () => {
      for (const [location, shown] of [
        ['tcp:example.org:3457', 'tcp:example.org:3457'],
        ['example.org:3457', 'tcp:example.org:3457'],
        [`tor:${ONION}:3457,tcp:10.0.0.1:3457`, 'tcp:10.0.0.1:3457'],
      ] as const) {
        const errors = privacy(anonymous({ 'tub.location': location }));
        expect(errors, location).to.have.length(1);
        expect(errors[0]?.message).to.contain(shown);
      }
    });
  });

  describe('listeners: tub.port, web.port, [sftpd] port', () => {
    it('accepts loopback TCP, unix sockets, onion:, listen:tor, listen:i2p and disabled', () => {
      for (const port of [
        'tcp:39835:interface=127.0.0.1',
        'tcp:39835:interface=127.0.0.2',
        'tcp:39835:interface=\\:\\:1',
        'unix:/run/lafs/tub.sock',
        'onion:3457',
        'listen:tor',
        'listen:i2p',
        'listen:tor,listen:i2p',
      ]) {
        expect(anonymous({ 'tub.port': port }).problems, port).to.deep.equal([]);
      }
      expect(
        anonymous({ 'web.port': 'tcp:3456:interface=\\:\\:1' }).problems.map((p) => p.message),
      ).to.deep.equal([]);
      expect(anonymous({ 'web.port': 'unix:/run/lafs/web.sock' }).problems).to.deep.equal([]);
      expect(anonymous({ 'web.port': '<unset>' }).problems).to.deep.equal([]);
    });

    it('refuses tub.port binding every interface or a non-loopback address', () => {
      for (const port of [
        'tcp:39835',
        '39835',
        'tcp:39835:interface=0.0.0.0',
        'tcp:39835:interface=192.168.1.5',
        'tcp6:39835',
      ]) {
        const errors = privacy(anonymous({ 'tub.port': port }));
        expect(errors, port).to.have.length(1);
        expect(errors[0]).to.include({ key: 'tub.port', value: port });
        expect(errors[0]?.message).to.match(/interface=127\.0\.0\.1/);
      }
    });

    it('refuses one unsafe listener in a list', () => {
      expect(privacy(anonymous({ 'tub.port': 'listen:tor,tcp:4000' }))).to.have.length(1);
    });

    it('refuses a missing tub.port (Tahoe would bind a random port on every interface)', () => {
      const errors = privacy(anonymous({ 'tub.port': '<unset>' }));
      expect(errors).to.have.length(1);
      expect(errors[0]?.message).to.match(/missing.*every interface/);
    });

    it('refuses web.port = tcp:3456 (all interfaces), suggesting the loopback form', () => {
      const [error] = privacy(anonymous({ 'web.port': 'tcp:3456' }));
      expect(error).to.include({ key: 'web.port', value: 'tcp:3456' });
      expect(error?.message).to.contain('tcp:3456:interface=127.0.0.1');
    });

    it('checks [sftpd] port only when SFTP is enabled', () => {
      const keys = '\nhost_pubkey_file = k.pub\nhost_privkey_file = k\n';
      expect(anonymous({}, `[sftpd]\nenabled = false\nport = tcp:8022\n`).problems).to.deep.equal([]);
      expect(privacy(anonymous({}, `[sftpd]\nenabled = true${keys}`))).to.have.length(1); // default tcp:8022
      expect(
        anonymous({}, `[sftpd]\nenabled = true\nport = tcp:8022:interface=127.0.0.1${keys}`).problems,
      ).to.deep.equal([]);
    });
  });

  it('reports every violation at once, with the other problems', () => {
    const r = anonymous(
      { 'tub.port': 'tcp:1', 'tub.location': 'AUTO', 'web.port': '3456', nickname: '100%' },
      '[connections]\ntcp = tcp\n',
    );
    expect(privacy(r).map((e) => `${e.section} ${e.key}`)).to.have.members([
      'connections tcp',
      'node tub.location',
      'node tub.port',
      'node web.port',
    ]);
    expect(r.problems).to.have.length(5); // plus the lone "%" in nickname
  });
});

describe('config/anonymity: isLoopbackInterface', () => {
  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackInterface(a), a).to.equal(true);
    }
    for (const a of ['0.0.0.0', '::', '10.0.0.1', 'localhost', '::ffff:10.0.0.1', '128.0.0.1', '']) {
      expect(isLoopbackInterface(a), a).to.equal(false);
    }
  });
});
