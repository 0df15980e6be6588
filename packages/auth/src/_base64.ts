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
