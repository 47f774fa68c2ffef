import { expect } from 'chai';
import { ByteWriter } from '../../../src/crypto/zfec/wasm-emitter.js';
import { buildKernelModule } from '../../../src/crypto/zfec/wasm-simd-module.js';

describe('zfec WebAssembly emitter', () => {
  it('writes LEB128 integers as the spec examples do', () => {
    const u = (v: number) => [...new ByteWriter().u32(v).toBytes()];
    const s = (v: number) => [...new ByteWriter().s32(v).toBytes()];
    expect(u(0)).to.deep.equal([0]);
    expect(u(127)).to.deep.equal([0x7f]);
    expect(u(128)).to.deep.equal([0x80, 0x01]);
    expect(u(624485)).to.deep.equal([0xe5, 0x8e, 0x26]);
    expect(u(0xffffffff)).to.deep.equal([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(s(0)).to.deep.equal([0]);
    expect(s(63)).to.deep.equal([0x3f]);
    expect(s(64)).to.deep.equal([0xc0, 0x00]);
    expect(s(-1)).to.deep.equal([0x7f]);
    expect(s(-64)).to.deep.equal([0x40]);
    expect(s(-65)).to.deep.equal([0xbf, 0x7f]);
    expect(s(-123456)).to.deep.equal([0xc0, 0xbb, 0x78]);
  });

  it('builds the same module bytes every time (reproducible), and the runtime validates them', () => {
    const a = buildKernelModule(16, false);
    const b = buildKernelModule(16, false);
    expect(Buffer.from(a).equals(b)).to.equal(true);
    expect([...a.subarray(0, 8)]).to.deep.equal([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const api = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    expect(api?.validate(a)).to.equal(true);
  });
});
