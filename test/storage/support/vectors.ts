/**
 * Loads Tahoe-LAFS's published capability vectors from `sharedDir/vectors/test_vectors.yaml` (see its README).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sharedDir } from '../../support/paths.js';

/** One case of `test_vectors.yaml`. */
export interface CapVector {
  convergence: Uint8Array;
  plaintext: () => Uint8Array;
  length: number;
  needed: number;
  total: number;
  segmentSize: number;
  kind: 'chk' | 'sdmf' | 'mdmf';
  key?: string;
  expected: string;
}

interface RawVector {
  convergence: string;
  expected: string;
  format: { kind: 'chk' | 'ssk'; params: null | { format: 'sdmf' | 'mdmf'; key: string } };
  sample: { length: number; seed: string };
  zfec: { required: number; segmentSize: number; total: number };
}

/** The sample rule of the README: `(seed * (length // len(seed) + 1))[:length]`. */
export function samplePlaintext(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += seed.length)
    out.set(seed.subarray(0, Math.min(seed.length, length - i)), i);
  return out;
}

/** All cases, in file order. */
export function loadCapVectors(): CapVector[] {
  const raw = parse(readFileSync(join(sharedDir, 'vectors', 'test_vectors.yaml'), 'utf8')) as {
    vector: RawVector[];
  };
  return raw.vector.map((v) => {
    const seed = new Uint8Array(Buffer.from(v.sample.seed, 'base64'));
    const kind = v.format.kind === 'chk' ? 'chk' : (v.format.params?.format ?? 'sdmf');
    const vector: CapVector = {
      convergence: new Uint8Array(Buffer.from(v.convergence, 'base64')),
      plaintext: () => samplePlaintext(seed, v.sample.length),
      length: v.sample.length,
      needed: v.zfec.required,
      total: v.zfec.total,
      segmentSize: v.zfec.segmentSize,
      kind,
      expected: v.expected,
    };
    if (v.format.params?.key) vector.key = v.format.params.key;
    return vector;
  });
}
