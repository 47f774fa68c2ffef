import { expect } from 'chai';
import { collectArgs } from '../../src/endpoints/codecs/args.js';
import { createDefaultRegistry, DescriptorRegistry } from '../../src/endpoints/registry.js';
import type { ConnectionHint, DescriptorCodec, ListenDescriptor } from '../../src/endpoints/types.js';
import { b32I2pFor, keyFrom, onionFor } from './_addresses.js';
import { expectDescriptorError } from './_expect-error.js';

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('endpoints: round trips (property-style)', () => {
  const registry = createDefaultRegistry();
  const random = prng(20261122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const port = (): number => 1 + Math.floor(random() * 65535);
  const label = (): string => {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
    let s = pick([...'abcdefghijklmnopqrstuvwxyz']);
    for (let i = Math.floor(random() * 10); i > 0; i--) s += pick([...chars]);
    return s.endsWith('-') ? `${s}x` : s;
  };
  const weird = (): string => {
    let s = '';
    for (let i = 1 + Math.floor(random() * 12); i > 0; i--) s += pick([...'ab/.:=,\\ é']);
    return s;
  };
  const host = (): string =>
    pick([
      () => `${label()}.${label()}`,
      () => `${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.0.${Math.floor(random() * 256)}`,
      () => `2001:db8::${Math.floor(random() * 65535).toString(16)}`,
      () => '::1',
    ])();

  const randomHint = (i: number): ConnectionHint => {
    const options = random() < 0.3 ? { options: { [`k${label()}`]: weird() } } : {};
    return pick<() => ConnectionHint>([
      () => ({ scheme: 'tcp', host: host(), port: port(), ...options }),
      () => ({ scheme: 'tor', host: onionFor(keyFrom(`k${i}`)), port: port(), ...options }),
      () => ({ scheme: 'tor', host: `${label()}.example`, port: port() }),
      () => ({
        scheme: 'i2p',
        address: b32I2pFor(`s${i}`),
        ...(random() < 0.5 ? { port: port() } : {}),
        ...options,
      }),
      () => ({ scheme: 'i2p', address: `${label()}.i2p` }),
    ])();
  };

  const randomListen = (): ListenDescriptor =>
    pick<() => ListenDescriptor>([
      () => ({ scheme: 'tcp', port: port() }),
      () => ({ scheme: 'tcp', port: port(), interface: pick(['127.0.0.1', '::', '::1', '10.0.0.1']) }),
      () => ({ scheme: 'unix', path: `/${weird()}` }),
      () => ({
        scheme: 'unix',
        path: `/${weird()}`,
        mode: 0o660,
        backlog: port(),
        lockfile: pick([true, false]),
      }),
      () => ({
        scheme: 'onion',
        virtualPort: port(),
        localPort: port(),
        hiddenServiceDir: weird(),
        privateKeyFile: weird(),
      }),
      () => ({ scheme: 'listen', transport: pick(['tor', 'i2p'] as const) }),
    ])();

  it('parse(format(x)) equals x and format is a fixed point, for 500 random hints', () => {
    for (let i = 0; i < 500; i++) {
      const hint = randomHint(i);
      const text = registry.formatHint(hint);
      expect(registry.parseHint(text), text).to.deep.equal(hint);
      expect(registry.formatHint(registry.parseHint(text))).to.equal(text);
    }
  });

  it('the same holds for lists of 1-4 hints and for location lists', () => {
    for (let i = 0; i < 100; i++) {
      const hints = Array.from({ length: 1 + (i % 4) }, (_, j) => randomHint(i * 10 + j));
      const text = registry.formatHintList(hints);
      expect(registry.parseHintList(text), text).to.deep.equal(hints);
      const items = [{ type: 'auto' as const }, ...hints.map((hint) => ({ type: 'hint' as const, hint }))];
      expect(registry.parseLocation(registry.formatLocation(items))).to.deep.equal(items);
    }
  });

  it('parse(format(x)) equals x for 300 random listen descriptor lists', () => {
    for (let i = 0; i < 300; i++) {
      const list = Array.from({ length: 1 + (i % 3) }, randomListen);
      const text = registry.formatListenList(list);
      expect(registry.parseListenList(text), text).to.deep.equal(list);
    }
  });

  it('never throws anything but DescriptorError on mangled descriptors', () => {
    const seeds = [
      'tcp:example.org:80',
      'tor:a.example:1',
      'onion:80:localPort=81',
      'i2p:x.i2p:2',
      '[::1]:9',
    ];
    for (let i = 0; i < 2000; i++) {
      let text = pick(seeds);
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * (text.length + 1));
        text = text.slice(0, at) + pick([...':=,\\[]0a.-', '']) + text.slice(at + (random() < 0.5 ? 1 : 0));
      }
      for (const parse of [
        () => registry.parseHintList(text),
        () => registry.parseListenList(text),
        () => registry.parseLocation(text),
      ]) {
        try {
          parse();
        } catch (error) {
          expect((error as { code?: string }).code, `${text}: ${String(error)}`).to.equal('ERR_DESCRIPTOR');
          const position = (error as { position: number }).position;
          expect(position).to.be.within(0, text.length);
        }
      }
    }
  });

  describe('user-registered schemes', () => {
    interface MeshHint {
      scheme: 'mesh';
      node: string;
    }
    const meshCodec: DescriptorCodec<MeshHint> = {
      name: 'mesh',
      aliases: ['m'],
      kind: 'hint',
      parse(input) {
        const { positional } = collectArgs(input, { positional: ['node'], keys: [], keepUnknown: false });
        return { scheme: 'mesh', node: positional[0]?.value ?? '' };
      },
      format: (hint) => `mesh:${hint.node}`,
      validate: () => {},
    };

    it('parses and formats a scheme added with register(), on that registry only', () => {
      const mine = createDefaultRegistry().register(meshCodec as unknown as DescriptorCodec);
      expect(mine.parseHint('M:node7')).to.deep.equal({ scheme: 'mesh', node: 'node7' });
      expect(mine.formatHint({ scheme: 'mesh', node: 'n' })).to.equal('mesh:n');
      expect(mine.schemes('hint')).to.deep.equal(['i2p', 'm', 'mesh', 'tcp', 'tor']);
      expectDescriptorError(() => createDefaultRegistry().parseHint('mesh:node7'), 0, /hint scheme/);
    });

    it('refuses a second codec for a taken name or alias, and bad scheme names', () => {
      const mine = new DescriptorRegistry([meshCodec as unknown as DescriptorCodec]);
      expect(() => mine.register({ ...meshCodec, name: 'other' } as unknown as DescriptorCodec)).to.throw(
        TypeError,
        /"m" is already/,
      );
      expect(() =>
        mine.register({ ...meshCodec, name: 'Bad Name', aliases: [] } as unknown as DescriptorCodec),
      ).to.throw(TypeError, /scheme name/);
    });
  });
});
