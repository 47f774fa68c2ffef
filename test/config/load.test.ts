import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  ConfigError,
  ConfigErrors,
  ConfigPrivacyError,
  UnknownConfigKeyError,
  UnknownConfigSectionError,
} from '../../src/config/errors.js';
import { checkNodeConfig, loadNodeConfig } from '../../src/config/load.js';
import { copyFixture, parseText, summary, tempDir } from './helpers.js';

describe('config/load: Tahoe-LAFS node directories load unchanged', () => {
  it('loads a create-client node (introducer from private/introducers.yaml)', async () => {
    const dir = await copyFixture('client');
    const s = await loadNodeConfig(dir);
    expect(s.nodeType).to.equal('client');
    expect(s.anonymous).to.equal(false);
    expect(s.node.nickname).to.equal('alice');
    expect(s.node.webPort?.descriptors).to.deep.equal([
      { scheme: 'tcp', port: 3456, interface: '127.0.0.1' },
    ]);
    expect(s.node.webStatic).to.equal(join(dir, 'public_html'));
    expect(s.node.tubPort).to.deep.equal({ kind: 'disabled' });
    expect(s.node.tubLocation).to.deep.equal({ kind: 'disabled' });
    expect(s.connections).to.deep.equal({ tcp: 'tcp', tcpSource: 'default' });
    expect(s.client).to.include({ sharesNeeded: 3, sharesHappy: 7, sharesTotal: 10, helperFurl: undefined });
    expect(s.storage).to.include({
      enabled: false,
      reservedSpace: 1_000_000_000,
      storageDir: join(dir, 'storage'),
    });
    expect(s.helper).to.deep.equal({ enabled: false });
    expect(s.introducers).to.have.length(1);
    expect(s.introducers[0]).to.include({ petname: 'default' });
    expect(s.introducers[0]?.furl).to.match(/^pb:\/\/.*@tcp:introducer\.example\.net:44801\//);
    expect(s.paths.convergenceFile).to.equal(join(dir, 'private', 'convergence'));
    expect(s.paths.nodeUrlFile).to.equal(join(dir, 'node.url'));
    expect(s.paths.serversFile).to.equal(join(dir, 'private', 'servers.yaml'));
  });

  it('loads a create-node storage server with a TCP listener', async () => {
    const s = await loadNodeConfig(await copyFixture('storage'));
    expect(s.node.tubPort).to.deep.include({ kind: 'listen', raw: 'tcp:41275' });
    expect(s.node.tubLocation).to.deep.include({ kind: 'items', fromDefault: false });
    expect(s.storage?.enabled).to.equal(true);
    expect(s.storage?.expire).to.deep.include({
      enabled: false,
      mode: 'age',
      immutable: true,
      mutable: true,
    });
  });

  it('loads an introducer, which has no client sections', async () => {
    const s = await loadNodeConfig(await copyFixture('introducer'));
    expect(s.nodeType).to.equal('introducer');
    expect(s.node.webPort).to.equal(undefined);
    expect(s.node.nickname).to.equal('');
    expect(s.client).to.equal(undefined);
    expect(s.storage).to.equal(undefined);
    expect(s.paths.portFile).to.match(/introducer\.port$/);
  });

  it('loads a --hide-ip --listen=tor node as anonymous, with its onion service', async () => {
    const dir = await copyFixture('tor-hidden');
    const s = await loadNodeConfig(dir);
    expect(s.anonymous).to.equal(true);
    expect(s.connections).to.deep.equal({ tcp: 'tor', tcpSource: 'config' });
    expect(s.tor.controlPort).to.deep.equal({ kind: 'tcp', host: '127.0.0.1', port: 9051 });
    expect(s.tor.onion).to.deep.equal({
      localPort: 39835,
      externalPort: 3457,
      privateKeyFile: join(dir, 'private', 'tor_onion.privkey'),
    });
    const location = s.node.tubLocation;
    expect(
      location.kind === 'items' && location.items[0]?.type === 'hint' && location.items[0].hint.scheme,
    ).to.equal('tor');
  });

  it('loads an anonymous I2P-only node', async () => {
    const s = await loadNodeConfig(await copyFixture('i2p'));
    expect(s.anonymous).to.equal(true);
    expect(s.connections.tcp).to.equal('disabled');
    expect(s.node.tubPort).to.deep.include({
      kind: 'listen',
      descriptors: [{ scheme: 'listen', transport: 'i2p' }],
    });
    expect(s.i2p.samPort).to.deep.equal({ kind: 'tcp', host: '127.0.0.1', port: 7656 });
    expect(s.i2p.destination?.port).to.equal(3457);
  });

  it('refuses a directory that is not a node directory', async () => {
    const result = await checkNodeConfig(await tempDir());
    expect(result.problems[0]?.message).to.match(/not a node directory/);
  });

  it('refuses a group-readable private/ directory', async () => {
    const dir = await copyFixture('client');
    const { chmod } = await import('node:fs/promises');
    await chmod(join(dir, 'private'), 0o755);
    const result = await checkNodeConfig(dir);
    expect(result.problems.map((p) => p.message).join()).to.match(/chmod 700/);
    expect((await checkNodeConfig(dir, { checkPermissions: false })).problems).to.deep.equal([]);
  });

  it('refuses obsolete pre-1.3 configuration files', async () => {
    const dir = await copyFixture('client');
    await writeFile(join(dir, 'webport'), '8123\n');
    const result = await checkNodeConfig(dir);
    expect(result.problems.map((p) => p.file)).to.deep.equal([join(dir, 'webport')]);
  });

  it('refuses a malformed introducers.yaml entry, naming the petname', async () => {
    const dir = await copyFixture('client');
    await writeFile(join(dir, 'private', 'introducers.yaml'), 'introducers:\n  grid1:\n    url: nope\n');
    const result = await checkNodeConfig(dir);
    expect(summary(result)).to.deep.equal(['ERR_CONFIG_VALUE [introducers] grid1']);
  });

  it('merges the deprecated [client] introducer.furl as "default" with a warning, refusing a clash', async () => {
    const dir = await copyFixture('storage');
    const furl = 'pb://aaaa@tcp:intro.example:1234/bbbb';
    await writeFile(
      join(dir, 'tahoe.cfg'),
      `[client]\nintroducer.furl = ${furl}\n[node]\ntub.port = tcp:1\ntub.location = tcp:x.example:1\n`,
    );
    const clash = await checkNodeConfig(dir);
    expect(summary(clash)).to.deep.equal(['ERR_CONFIG_CONFLICT [client] introducer.furl']);
    await writeFile(
      join(dir, 'private', 'introducers.yaml'),
      'introducers:\n  other:\n    furl: pb://x@tcp:y:1/z\n',
    );
    const ok = await checkNodeConfig(dir);
    expect(ok.problems).to.deep.equal([]);
    expect(ok.warnings.join()).to.match(/deprecated/);
    expect(ok.settings?.introducers.map((i) => i.petname)).to.deep.equal(['other', 'default']);
  });

  it('throws one ConfigErrors listing every problem, each naming file, section and key', async () => {
    const dir = await copyFixture('storage');
    await writeFile(
      join(dir, 'tahoe.cfg'),
      '[node]\nnickname = x\nweb.prot = 3456\ntub.port = tcp:1\ntub.location = tcp:h.example:1\n' +
        '[storage]\nreserved_space = lots\nenabled = maybe\n[stroage]\nx = 1\n',
    );
    const error = await loadNodeConfig(dir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigErrors);
    const errors = (error as ConfigErrors).errors;
    expect(errors.map((e) => `${e.section}/${e.key}`)).to.have.members([
      'node/web.prot',
      'stroage/',
      'storage/reserved_space',
      'storage/enabled',
    ]);
    for (const e of errors) {
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.file).to.equal(join(dir, 'tahoe.cfg'));
      expect(e.line).to.be.a('number');
    }
    expect((error as ConfigErrors).kind).to.equal('config');
    expect((error as ConfigErrors).message).to.contain('4 problems');
  });
});

describe('config/load: schema', () => {
  it('suggests the closest key and section', () => {
    const r = parseText('[node]\nweb.prot = tcp:1:interface=127.0.0.1\n[stroage]\n');
    const [key, section] = r.problems;
    expect(key).to.be.instanceOf(UnknownConfigKeyError).and.have.property('suggestion', 'web.port');
    expect(key?.message).to.match(/did you mean "web\.port"\?/);
    expect(section).to.be.instanceOf(UnknownConfigSectionError).and.have.property('suggestion', 'storage');
  });

  it('names the right section for a key put in the wrong one', () => {
    const r = parseText('[node]\nreserved_space = 1G\ntub.port = disabled\ntub.location = disabled\n');
    expect(r.problems[0]?.message).to.match(/belongs in \[storage\]/);
  });

  it('accepts keys case-insensitively, as Tahoe does', () => {
    const r = parseText(
      '[node]\nReveal-IP-Address = False\nTub.Port = disabled\ntub.location = disabled\n[storage]\nenabled = false\n',
    );
    expect(r.problems).to.deep.equal([]);
    expect(r.settings?.anonymous).to.equal(true);
  });

  it('refuses client sections on an introducer', () => {
    const r = parseText(
      '[node]\ntub.port = tcp:1\ntub.location = tcp:h.example:1\n[storage]\nenabled = true\n',
      'introducer',
    );
    expect(summary(r)).to.deep.equal(['ERR_CONFIG_UNKNOWN_SECTION [storage] ']);
    expect(r.problems[0]?.message).to.match(/introducer/);
  });

  it('accepts plugin and grid-manager sections with any keys', () => {
    const r = parseText(
      '[node]\ntub.port = disabled\ntub.location = disabled\n[storage]\nenabled = false\n' +
        '[storageserver.plugins.acme-foo-v1]\nanything = 1\n[storageclient.plugins.acme-foo-v1]\nx = y\n' +
        '[grid_managers]\nexample = pub-v0-vqimc4s5eflwajttsofisp5st566dbq36xnpp4siz57ufdavpvlq\n' +
        '[grid_manager_certificates]\ndefault = gridmanager.cert\n',
    );
    expect(r.problems).to.deep.equal([]);
    expect(r.settings?.storageServerPlugins).to.deep.equal({ 'acme-foo-v1': { anything: '1' } });
    expect(r.settings?.storageClientPlugins).to.deep.equal({ 'acme-foo-v1': { x: 'y' } });
    expect(r.settings?.gridManagers.example).to.match(/^pub-v0-/);
    expect(r.settings?.gridManagerCertificates.default).to.equal('/nodes/test/gridmanager.cert');
  });

  it('explains removed sections ([ftpd], [magic_folder]) instead of just calling them unknown', () => {
    const r = parseText(
      '[node]\ntub.port = disabled\ntub.location = disabled\n[storage]\nenabled = false\n[ftpd]\nenabled = false\n[magic_folder]\nenabled = true\n',
    );
    expect(summary(r)).to.deep.equal([
      'ERR_CONFIG_UNKNOWN_SECTION [ftpd] ',
      'ERR_CONFIG_UNKNOWN_SECTION [magic_folder] ',
    ]);
    expect(r.problems[0]?.message).to.match(/removed in Tahoe-LAFS 1\.15/);
  });

  it('refuses keys in [DEFAULT]', () => {
    expect(summary(parseText('[DEFAULT]\nnickname = x\n[node]\n'))[0]).to.equal(
      'ERR_CONFIG_UNKNOWN_SECTION [DEFAULT] ',
    );
  });
});

describe('config/load: values and cross-checks', () => {
  const base = '[node]\ntub.port = tcp:1234\ntub.location = tcp:h.example:1234\n';

  it('applies Tahoe defaults', () => {
    const s = parseText('').settings!;
    expect(s.node.nickname).to.equal('<unspecified>');
    expect(s.node.tubPort).to.deep.equal({ kind: 'unset', portFile: '/nodes/test/client.port' });
    expect(s.node.tubLocation).to.deep.equal({
      kind: 'items',
      raw: 'AUTO',
      items: [{ type: 'auto' }],
      fromDefault: true,
    });
    expect(s.node.tempDir).to.equal('/nodes/test/tmp');
    expect(s.node.revealIpAddress).to.equal(true);
    expect(s.tor).to.deep.equal({
      enabled: true,
      socksPort: undefined,
      controlPort: undefined,
      launch: false,
      executable: undefined,
      onion: undefined,
    });
    expect(s.i2p.enabled).to.equal(true);
    expect(s.client).to.deep.include({
      sharesNeeded: 3,
      sharesHappy: 7,
      sharesTotal: 10,
      mutableFormat: 'sdmf',
      maxSegmentSize: 1048576,
    });
    expect(s.storage).to.deep.include({ enabled: true, anonymous: true, readonly: false, reservedSpace: 0 });
    expect(s.sftpd?.enabled).to.equal(false);
  });

  it('reads legacy bare-number ports as tcp:N', () => {
    const s = parseText('[node]\ntub.port = 1234\nweb.port = 3456\ntub.location = tcp:h.example:1234\n')
      .settings!;
    expect(s.node.tubPort).to.deep.include({ descriptors: [{ scheme: 'tcp', port: 1234 }] });
    expect(s.node.webPort?.descriptors).to.deep.equal([{ scheme: 'tcp', port: 3456 }]);
  });

  it('refuses empty tub.port/tub.location, port 0, and a disabled half', () => {
    expect(summary(parseText('[node]\ntub.port =\ntub.location =\n'))).to.deep.equal([
      'ERR_CONFIG_VALUE [node] tub.port',
      'ERR_CONFIG_VALUE [node] tub.location',
    ]);
    expect(summary(parseText('[node]\ntub.port = tcp:0\ntub.location = tcp:h.example:1\n'))).to.deep.equal([
      'ERR_CONFIG_VALUE [node] tub.port',
    ]);
    expect(
      summary(
        parseText(
          '[node]\ntub.port = disabled\ntub.location = tcp:h.example:1\n[storage]\nenabled = false\n',
        ),
      ),
    ).to.deep.equal(['ERR_CONFIG_CONFLICT [node] tub.location']);
  });

  it('accepts web.port = tcp:0 (node.url records the port chosen)', () => {
    const s = parseText('[node]\nweb.port = tcp:0:interface=127.0.0.1\n').settings!;
    expect(s.node.webPort?.descriptors).to.deep.equal([{ scheme: 'tcp', port: 0, interface: '127.0.0.1' }]);
  });

  it('refuses a disabled tub.port on a storage server or helper', () => {
    const r = parseText('[node]\ntub.port = disabled\ntub.location = disabled\n[helper]\nenabled = true\n');
    expect(summary(r)).to.deep.equal(['ERR_CONFIG_CONFLICT [node] tub.port']);
    expect(r.problems[0]?.message).to.match(/\[storage\] enabled = true and \[helper\] enabled = true/);
  });

  it('reports a bad descriptor with the parser position', () => {
    const r = parseText('[node]\ntub.port = tcp:99999\ntub.location = tcp:h.example:1\n');
    expect(summary(r)).to.deep.equal(['ERR_CONFIG_VALUE [node] tub.port']);
    expect(r.problems[0]?.message).to.match(/position \d+/);
  });

  it('checks encoding parameters', () => {
    expect(summary(parseText(`${base}[client]\nshares.needed = 11\nshares.happy = 12\n`))).to.deep.equal([
      'ERR_CONFIG_CONFLICT [client] shares.needed',
      'ERR_CONFIG_CONFLICT [client] shares.happy',
    ]);
    expect(summary(parseText(`${base}[client]\nshares.total = 257\nshares.needed = 0\n`))).to.deep.equal([
      'ERR_CONFIG_VALUE [client] shares.needed',
      'ERR_CONFIG_VALUE [client] shares.total',
    ]);
  });

  it('reads storage sizes, expiry and the cutoff-date requirement', () => {
    const s = parseText(
      `${base}[storage]\nreserved_space = 100MiB\nexpire.enabled = true\nexpire.mode = age\nexpire.override_lease_duration = 60 days\n`,
    ).settings!;
    expect(s.storage?.reservedSpace).to.equal(100 * 2 ** 20);
    expect(s.storage?.expire.overrideLeaseDurationSeconds).to.equal(60 * 86400);
    expect(summary(parseText(`${base}[storage]\nexpire.enabled = true\n`))).to.deep.equal([
      'ERR_CONFIG_MISSING [storage] expire.mode',
    ]);
    expect(summary(parseText(`${base}[storage]\nexpire.mode = cutoff-date\n`))).to.deep.equal([
      'ERR_CONFIG_MISSING [storage] expire.cutoff_date',
    ]);
    expect(
      parseText(`${base}[storage]\nexpire.mode = cutoff-date\nexpire.cutoff_date = 2009-01-31\n`).settings
        ?.storage?.expire.cutoffDate,
    ).to.equal(Date.UTC(2009, 0, 31) / 1000);
  });

  it('refuses a FURL with "#" (no inline comments) and "None" for introducer.furl, hiding the secret', () => {
    const r = parseText(
      `${base}[client]\nhelper.furl = pb://a@tcp:h:1/sekrit # my helper\nintroducer.furl = None\n`,
    );
    const helper = r.problems.find((p) => p.key === 'helper.furl');
    expect(helper?.value).to.equal('pb://a@tcp:h:1/<redacted>');
    expect(helper?.message).to.not.contain('sekrit');
    expect(summary(r)).to.deep.equal([
      'ERR_CONFIG_VALUE [client] introducer.furl',
      'ERR_CONFIG_VALUE [client] helper.furl',
    ]);
  });

  it('checks [tor] onion and [i2p] dest requirements as Tahoe does', () => {
    expect(summary(parseText(`${base}[tor]\nonion = true\n`))).to.deep.equal([
      'ERR_CONFIG_MISSING [tor] control.port',
      'ERR_CONFIG_MISSING [tor] onion.local_port',
      'ERR_CONFIG_MISSING [tor] onion.external_port',
      'ERR_CONFIG_MISSING [tor] onion.private_key_file',
    ]);
    expect(
      summary(
        parseText(`${base}[i2p]\ndest = true\nsam.port = tcp:127.0.0.1:7656\nlaunch = true\ndest.port = 1\n`),
      ),
    ).to.deep.equal(['ERR_CONFIG_CONFLICT [i2p] sam.port', 'ERR_CONFIG_MISSING [i2p] dest.private_key_file']);
    expect(summary(parseText(`${base}[tor]\nsocks.port = tcp:127.0.0.1\n`))).to.deep.equal([
      'ERR_CONFIG_VALUE [tor] socks.port',
    ]);
    expect(
      parseText(`${base}[tor]\ncontrol.port = unix:/var/run/tor/control\n`).settings?.tor.controlPort,
    ).to.deep.equal({
      kind: 'unix',
      path: '/var/run/tor/control',
    });
  });

  it('refuses [connections] tcp values other than tcp/tor/disabled', () => {
    expect(parseText(`${base}[connections]\ntcp = i2p\n`).problems[0]?.message).to.match(/I2P cannot reach/);
    expect(summary(parseText(`${base}[connections]\ntcp = socks\n`))).to.deep.equal([
      'ERR_CONFIG_VALUE [connections] tcp',
    ]);
  });

  it('refuses tcp = tor with Tor disabled', () => {
    expect(summary(parseText(`${base}[connections]\ntcp = tor\n[tor]\nenabled = false\n`))).to.deep.equal([
      'ERR_CONFIG_CONFLICT [tor] enabled',
    ]);
  });

  it('is never a privacy problem on a non-anonymous node', () => {
    const r = parseText(
      '[node]\ntub.port = tcp:1234\ntub.location = AUTODETECT,tor:rcmqzftshazkmhdyd3yrknmtwkd3tlc27pa6greegv4azymunlbb2iid.onion:3457\n',
    );
    expect(r.problems).to.deep.equal([]);
    expect(r.problems.some((p) => p instanceof ConfigPrivacyError)).to.equal(false);
  });
});
