/**
 * A tiny WebAssembly binary writer: just the sections, types and instructions the SIMD kernel needs, so the
 * kernel is built from this repository's own TypeScript at load time with no toolchain and no binary blob.
 *
 * Encodings follow the WebAssembly Core Specification 2.0, chapter 5 "Binary Format" (LEB128 integers in 5.2.2,
 * sections in 5.5, instructions in 5.4 including the 0xFD-prefixed vector instructions in 5.4.8).
 *
 * @module
 */

/** Value types (spec 5.3.1). */
export const ValType = { i32: 0x7f, v128: 0x7b } as const;
/** A value type's byte. */
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Single-byte opcodes (spec 5.4.1-5.4.7). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load8U: 0x2d,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Shl: 0x74,
} as const;

/** Vector opcodes, each written after the 0xFD prefix as a LEB128 u32 (spec 5.4.8; relaxed SIMD proposal). */
export const SimdOp = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Swizzle: 0x0e,
  i8x16Splat: 0x0f,
  v128And: 0x4e,
  v128Xor: 0x51,
  i8x16ShrU: 0x6d,
  i16x8ShrU: 0x8d,
  i8x16RelaxedSwizzle: 0x100,
} as const;

/** The empty block type (spec 5.4.1 `blocktype` 0x40). */
const EMPTY_BLOCK = 0x40;

/** An append-only byte buffer with the primitive encodings of spec 5.2. */
export class ByteWriter {
  #bytes: number[] = [];

  /** Appends raw bytes. */
  bytes(...values: number[]): this {
    for (const v of values) this.#bytes.push(v & 0xff);
    return this;
  }

  /** Appends an unsigned LEB128 integer (spec 5.2.2). */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const byte = v & 0x7f;
      v >>>= 7;
      this.#bytes.push(v === 0 ? byte : byte | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Appends a signed LEB128 integer (spec 5.2.2). */
  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      this.#bytes.push(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }

  /** Appends the contents of a byte array. */
  append(bytes: Uint8Array): this {
    for (const b of bytes) this.#bytes.push(b);
    return this;
  }

  /** Appends a name (spec 5.2.4): length-prefixed UTF-8. */
  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    this.u32(utf8.length);
    for (const b of utf8) this.#bytes.push(b);
    return this;
  }

  /** Appends another writer's bytes, prefixed with their length (a section or function body). */
  sized(inner: ByteWriter): this {
    const bytes = inner.toBytes();
    this.u32(bytes.length);
    for (const b of bytes) this.#bytes.push(b);
    return this;
  }

  /** The bytes written so far. */
  toBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

/** Writes a function body's instructions with named helpers. */
export class CodeWriter extends ByteWriter {
  get(local: number): this {
    return this.bytes(Op.localGet).u32(local);
  }
  set(local: number): this {
    return this.bytes(Op.localSet).u32(local);
  }
  tee(local: number): this {
    return this.bytes(Op.localTee).u32(local);
  }
  i32(value: number): this {
    return this.bytes(Op.i32Const).s32(value);
  }
  op(opcode: number): this {
    return this.bytes(opcode);
  }
  /** A 0xFD-prefixed vector instruction without immediates. */
  simd(opcode: number): this {
    return this.bytes(0xfd).u32(opcode);
  }
  /** A vector load or store with alignment exponent `align` and constant `offset` (spec 5.4.6 `memarg`). */
  simdMem(opcode: number, offset: number, align = 4): this {
    return this.bytes(0xfd).u32(opcode).u32(align).u32(offset);
  }
  /** An all-zero v128.const. */
  v128Zero(): this {
    this.bytes(0xfd).u32(SimdOp.v128Const);
    for (let i = 0; i < 16; i++) this.bytes(0);
    return this;
  }
  i32Load8U(offset = 0): this {
    return this.bytes(Op.i32Load8U).u32(0).u32(offset);
  }
  block(): this {
    return this.bytes(Op.block, EMPTY_BLOCK);
  }
  loop(): this {
    return this.bytes(Op.loop, EMPTY_BLOCK);
  }
  end(): this {
    return this.bytes(Op.end);
  }
  br(depth: number): this {
    return this.bytes(Op.br).u32(depth);
  }
  brIf(depth: number): this {
    return this.bytes(Op.brIf).u32(depth);
  }
}

/** One exported function of a module: its signature, extra locals and body (without the final `end`). */
export interface FunctionSpec {
  readonly exportName: string;
  readonly params: readonly ValType[];
  /** Additional locals after the parameters, in order. */
  readonly locals: readonly ValType[];
  readonly body: CodeWriter;
}

/**
 * Assembles a module that defines and exports one memory (`memory`, `pages` 64 KiB pages, fixed size) and the
 * given functions, none of which return values.
 */
export function assembleModule(pages: number, functions: readonly FunctionSpec[]): Uint8Array {
  const out = new ByteWriter().bytes(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  const section = (id: number, content: ByteWriter) => out.bytes(id).sized(content);

  const types = new ByteWriter().u32(functions.length);
  for (const f of functions)
    types
      .bytes(0x60)
      .u32(f.params.length)
      .bytes(...f.params)
      .u32(0);
  section(1, types);

  const funcs = new ByteWriter().u32(functions.length);
  functions.forEach((_, i) => {
    funcs.u32(i);
  });
  section(3, funcs);

  section(5, new ByteWriter().u32(1).bytes(0x01).u32(pages).u32(pages));

  const exports = new ByteWriter()
    .u32(functions.length + 1)
    .name('memory')
    .bytes(0x02)
    .u32(0);
  functions.forEach((f, i) => {
    exports.name(f.exportName).bytes(0x00).u32(i);
  });
  section(7, exports);

  const code = new ByteWriter().u32(functions.length);
  for (const f of functions) {
    const body = new ByteWriter().u32(f.locals.length);
    for (const t of f.locals) body.u32(1).bytes(t);
    body.append(f.body.toBytes()).bytes(Op.end);
    code.sized(body);
  }
  section(10, code);
  return out.toBytes();
}
