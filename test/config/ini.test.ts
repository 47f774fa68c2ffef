import { expect } from 'chai';
import { ConfigSyntaxError } from '../../src/config/errors.js';
import { interpolateValue, parseIni } from '../../src/config/ini.js';

/** Parses and returns `[section] key` after interpolation. */
function get(text: string, section: string, key: string): string | undefined {
  const { document, problems } = parseIni(text, 'tahoe.cfg');
  expect(problems, problems.map((p) => p.message).join('\n')).to.deep.equal([]);
  const sec = document.sections.get(section);
  const entry = sec?.entries.get(key);
  return sec && entry ? interpolateValue(document, sec, entry) : undefined;
}

describe('config/ini: ConfigParser(strict=False) compatibility', () => {
  it('reads key = value and key: value, trimming both sides', () => {
    const text = '[node]\n  nickname   =   bob  \ntub.port: tcp:3456\n';
    expect(get(text, 'node', 'nickname')).to.equal('bob');
    expect(get(text, 'node', 'tub.port')).to.equal('tcp:3456');
  });

  it('splits at the first = or :, so descriptor values keep theirs', () => {
    expect(get('[node]\nweb.port = tcp:3456:interface=127.0.0.1\n', 'node', 'web.port')).to.equal(
      'tcp:3456:interface=127.0.0.1',
    );
  });

  it('has no inline comments: ; and # inside a value are kept', () => {
    const text = '[node]\nnickname = a ; b # c\n';
    expect(get(text, 'node', 'nickname')).to.equal('a ; b # c');
  });

  it('skips full-line ; and # comments, also indented ones', () => {
    const text = '; top\n# top\n[node]\n  # indented\n\t; tabbed\nnickname = x\n';
    const { document } = parseIni(text, 'f');
    expect([...(document.sections.get('node')?.entries.keys() ?? [])]).to.deep.equal(['nickname']);
  });

  it('lowercases keys but not section names', () => {
    const { document } = parseIni('[Node]\nReveal-IP-Address = false\n', 'f');
    expect(document.sections.has('Node')).to.equal(true);
    expect(document.sections.has('node')).to.equal(false);
    const entry = document.sections.get('Node')?.entries.get('reveal-ip-address');
    expect(entry?.key).to.equal('Reveal-IP-Address');
  });

  it('lets the last duplicate key win and merges repeated sections', () => {
    const text = '[node]\nnickname = one\n[client]\n[node]\nnickname = two\nweb.port = 1\n';
    expect(get(text, 'node', 'nickname')).to.equal('two');
    expect(get(text, 'node', 'web.port')).to.equal('1');
    const entry = parseIni(text, 'f').document.sections.get('node')?.entries.get('nickname');
    expect(entry?.line).to.equal(5);
  });

  it('joins indented continuation lines, keeping inner blank lines and dropping trailing ones', () => {
    const text = '[node]\nnickname = first\n  second\n\n  third\n\n\nweb.port = 1\n';
    expect(get(text, 'node', 'nickname')).to.equal('first\nsecond\n\nthird');
    expect(get(text, 'node', 'web.port')).to.equal('1');
  });

  it('does not end a continuation at a comment line', () => {
    expect(get('[node]\nnickname = a\n# note\n  b\n', 'node', 'nickname')).to.equal('a\nb');
  });

  it('accepts an empty value', () => {
    expect(get('[client]\nhelper.furl =\n', 'client', 'helper.furl')).to.equal('');
  });

  it('ignores a UTF-8 byte-order mark and CRLF line ends', () => {
    expect(get('\uFEFF[node]\r\nnickname = win\r\n', 'node', 'nickname')).to.equal('win');
  });

  it('ignores text after the closing ] of a header, as ConfigParser does', () => {
    expect(get('[node] trailing\nnickname = x\n', 'node', 'nickname')).to.equal('x');
  });

  it('reports every bad line with its number, and keeps parsing', () => {
    const { document, problems } = parseIni(
      'orphan = 1\n[node]\njust words\n= novalue\nnickname = ok\n',
      'f.cfg',
    );
    expect(problems.map((p) => p.line)).to.deep.equal([1, 3, 4]);
    expect(problems.every((p) => p instanceof ConfigSyntaxError)).to.equal(true);
    expect(problems[0]?.message).to.match(/^f\.cfg:1: .*before any \[section\]/);
    expect(problems[1]?.message).to.contain('[node]');
    expect(document.sections.get('node')?.entries.get('nickname')?.raw).to.equal('ok');
  });

  describe('% interpolation (BasicInterpolation)', () => {
    it('turns %% into %', () => {
      expect(get('[node]\nnickname = 100%%\n', 'node', 'nickname')).to.equal('100%');
    });

    it('expands %(key)s from the same section, recursively', () => {
      const text = '[node]\nbase = /srv\ndir = %(base)s/tahoe\ntempdir = %(dir)s/tmp\n';
      expect(get(text, 'node', 'tempdir')).to.equal('/srv/tahoe/tmp');
    });

    it('refuses a lone %, naming file, section, key and line', () => {
      const { document } = parseIni('[node]\nnickname = 100%\n', 'tahoe.cfg');
      const sec = document.sections.get('node')!;
      const entry = sec.entries.get('nickname')!;
      expect(() => interpolateValue(document, sec, entry))
        .to.throw(ConfigSyntaxError)
        .with.property('message')
        .that.matches(/^tahoe\.cfg:2 \[node\] nickname: .*%%/);
    });

    it('refuses unknown and circular references', () => {
      const { document } = parseIni('[node]\na = %(missing)s\nb = %(c)s\nc = %(b)s\n', 'f');
      const sec = document.sections.get('node')!;
      expect(() => interpolateValue(document, sec, sec.entries.get('a')!)).to.throw(/missing/);
      expect(() => interpolateValue(document, sec, sec.entries.get('b')!)).to.throw(/nest deeper/);
    });
  });
});
