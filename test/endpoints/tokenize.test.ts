import { expect } from 'chai';
import { didYouMean, editDistance } from '../../src/endpoints/did-you-mean.js';
import { escapeValue, splitList, tokenize } from '../../src/endpoints/tokenize.js';

describe('endpoints: tokenizer', () => {
  it('splits at unescaped colons and unescapes \\: \\= \\\\ and \\,', () => {
    const tokens = tokenize('x', 'a\\:b:k=v\\=w:c\\\\:d\\,e', 0);
    expect(tokens.map((t) => [t.key, t.value, t.start, t.valueStart])).to.deep.equal([
      [undefined, 'a:b', 0, 0],
      ['k', 'v=w', 5, 7],
      [undefined, 'c\\', 12, 12],
      [undefined, 'd,e', 16, 16],
    ]);
  });

  it('splits key=value at the first unescaped "=" only', () => {
    const [token] = tokenize('x', 'k=a=b', 0);
    expect(token).to.include({ key: 'k', value: 'a=b' });
    const [escaped] = tokenize('x', 'k\\=a=b', 0);
    expect(escaped).to.include({ key: 'k=a', value: 'b' });
  });

  it('keeps bracketed IPv6 literals whole and reports absolute positions', () => {
    const tokens = tokenize('....tcp:[::1]:80', 'tcp:[::1]:80', 4);
    expect(tokens.map((t) => [t.value, t.bracketed, t.start, t.valueStart])).to.deep.equal([
      ['tcp', false, 4, 4],
      ['::1', true, 8, 9],
      ['80', false, 14, 14],
    ]);
  });

  it('yields an empty last token for a trailing colon', () => {
    expect(tokenize('a:', 'a:', 0).map((t) => t.value)).to.deep.equal(['a', '']);
  });

  it('splits lists at unescaped commas, trimming items and keeping positions', () => {
    expect(splitList(' a , b\\,c ,')).to.deep.equal([
      { text: 'a', start: 1 },
      { text: 'b\\,c', start: 5 },
      { text: '', start: 11 },
    ]);
    expect(splitList('a\\ ,\\\\ ')).to.deep.equal([
      { text: 'a\\ ', start: 0 },
      { text: '\\\\', start: 4 },
    ]);
  });

  it('escapeValue output reads back as the same single value', () => {
    for (const value of ['', 'plain', 'a:b', 'k=v', 'c,d', 'back\\slash', '\\:=,', ' both ends ', '\t']) {
      const [item, ...more] = splitList(escapeValue(value));
      expect(more).to.deep.equal([]);
      const tokens = tokenize('x', item?.text ?? '', 0);
      expect(tokens).to.have.length(1);
      expect(tokens[0]?.value).to.equal(value);
      expect(tokens[0]?.key).to.equal(undefined);
    }
  });

  it('edit distance counts neighbour swaps as one edit', () => {
    expect(editDistance('tpc', 'tcp')).to.equal(1);
    expect(editDistance('onoin', 'onion')).to.equal(1);
    expect(editDistance('', 'abc')).to.equal(3);
    expect(editDistance('kitten', 'sitting')).to.equal(3);
    expect(didYouMean('TCP6', ['tcp', 'tcp6'])).to.equal('tcp6');
    expect(didYouMean('zzz', ['tcp', 'tor'])).to.equal(undefined);
  });
});
