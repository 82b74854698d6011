/** The global `atob` (Node.js >= 16, browsers), declared so no Node or DOM types are needed. */
declare const atob: (data: string) => string;

/**
 * `"aGk="` -> `[104, 105]`: bytes given as a base64 string, returned as Lambda sends
 * bytes, signed (-128..127, Java `byte`): "ë" (0xC3 0xAB) becomes `[-61, -85]`.
 */
export function base64ToSignedBytes(value: string): number[] {
  const binary = atob(value);
  const bytes = new Array<number>(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = (binary.charCodeAt(i) << 24) >> 24;
  return bytes;
}
