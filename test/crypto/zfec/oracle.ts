/**
 * An independent, deliberately slow model of zfec's code for tests: bit-by-bit GF(2^8) arithmetic and Lagrange
 * interpolation, sharing no code with the implementation under test.
 *
 * zfec's matrix is V * inverse(top k rows of V), V being the Vandermonde matrix at the points
 * x_0 = 0, x_r = alpha^(r-1). Hence share r of a codeword is P(x_r), where P is the unique polynomial of degree
 * < k with P(x_i) = primary block i for i < k.
 *
 * @module
 */

/** Carry-less multiply then reduce by x^8 + x^4 + x^3 + x^2 + 1. */
export function slowMul(a: number, b: number): number {
  let product = 0;
  for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) product ^= a << bit;
  for (let bit = 15; bit >= 8; bit--) if (product & (1 << bit)) product ^= 0x11d << (bit - 8);
  return product;
}

/** a^-1 by exhaustive search (a != 0). */
export function slowInverse(a: number): number {
  for (let x = 1; x < 256; x++) if (slowMul(a, x) === 1) return x;
  throw new Error(`no inverse for ${a}`);
}

/** The evaluation point of share r: 0 for r = 0, else alpha^(r-1) with alpha = 2. */
export function evaluationPoint(r: number): number {
  if (r === 0) return 0;
  let x = 1;
  for (let i = 1; i < r; i++) x = slowMul(x, 2);
  return x;
}

/** The Lagrange weight of primary i when evaluating at share r's point (k points 0..k-1). */
function lagrangeWeights(k: number, r: number): number[] {
  const points = Array.from({ length: k }, (_, i) => evaluationPoint(i));
  const x = evaluationPoint(r);
  return points.map((xi, i) => {
    let numerator = 1;
    let denominator = 1;
    points.forEach((xj, j) => {
      if (j === i) return;
      numerator = slowMul(numerator, x ^ xj);
      denominator = slowMul(denominator, xi ^ xj);
    });
    return slowMul(numerator, slowInverse(denominator));
  });
}

/** Share r's block of the codeword whose primary blocks are `primary`. */
export function oracleShare(primary: readonly Uint8Array[], r: number): Uint8Array {
  const k = primary.length;
  const weights = lagrangeWeights(k, r);
  const length = primary[0]!.length;
  const out = new Uint8Array(length);
  for (let i = 0; i < k; i++) {
    const w = weights[i]!;
    const block = primary[i]!;
    for (let b = 0; b < length; b++) out[b]! ^= slowMul(w, block[b]!);
  }
  return out;
}
