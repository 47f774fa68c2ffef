import { expect } from 'chai';
import { LruCache } from '../../../src/crypto/zfec/lru.js';

describe('zfec LruCache', () => {
  it('keeps at most its capacity, evicting the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    let made = 0;
    const get = (key: string) => cache.getOrCreate(key, () => ++made);
    expect(get('a')).to.equal(1);
    expect(get('b')).to.equal(2);
    expect(get('a')).to.equal(1); // a is now the most recent
    expect(get('c')).to.equal(3); // evicts b
    expect(cache.size).to.equal(2);
    expect(cache.get('b')).to.equal(undefined);
    expect(get('a')).to.equal(1);
    expect(get('b')).to.equal(4);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).to.throw(RangeError, /capacity must be a positive integer, got 0/);
  });
});
