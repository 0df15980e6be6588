/**
 * Standard base64 without `Buffer`, for kubeconfig data fields and Basic credentials.
 *
 * @module
 */

/**
 * Encodes bytes as standard, padded base64.
 *
 * @param bytes the data
 * @returns base64 text
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Encodes a string's UTF-8 bytes as standard base64.
 *
 * @param text the text
 * @returns base64 text
 */
export function encodeBase64Text(text: string): string {
  return encodeBase64(new TextEncoder().encode(text));
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP: ReadonlyMap<string, number> = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * Go's `base64.StdEncoding.Decode`: `\r` and `\n` are skipped, padding is required, stray bits are tolerated.
 *
 * @param text base64 text
 * @returns the bytes, or the offset of the first bad input byte as Go reports it
 */
export function decodeStdBase64(text: string): Uint8Array | number {
  const chars: Array<{ c: string; at: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== "\r" && c !== "\n") chars.push({ c, at: i });
  }
  const out: number[] = [];
  for (let i = 0; i < chars.length; i += 4) {
    const quad = chars.slice(i, i + 4);
    const values: number[] = [];
    let padding = 0;
    for (let j = 0; j < 4; j++) {
      const entry = quad[j];
      if (entry === undefined) return text.length;
      if (entry.c === "=") {
        // Padding is legal only in the last two places of the final quantum.
        if (j < 2 || i + 4 < chars.length) return entry.at;
        if (j === 2 && quad[3]?.c !== "=") return quad[3]?.at ?? entry.at;
        padding++;
        values.push(0);
        continue;
      }
      if (padding > 0) return entry.at;
      const v = LOOKUP.get(entry.c);
      if (v === undefined) return entry.at;
      values.push(v);
    }
    const [a = 0, b = 0, c = 0, d = 0] = values;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out.push((n >> 16) & 0xff);
    if (padding < 2) out.push((n >> 8) & 0xff);
    if (padding < 1) out.push(n & 0xff);
  }
  return Uint8Array.from(out);
}
