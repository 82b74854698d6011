/**
 * Canonical base64 (RFC 4648, with padding): what Lambda sends for record keys and values.
 * Node's decoder is lenient (it skips characters outside the alphabet and stops at
 * padding), so junk decodes silently to fewer or other bytes; this check turns that into
 * an error. Used by `validate` and copied into the generated records.ts
 * (emit/runtime-source.ts), so it stays self-contained. Constant time: a length
 * comparison with the decoded size and a look at the last character before the padding.
 * (The URL-safe alphabet decodes to the very bytes the standard one would; validate
 * reports it, but the record helpers do not scan for it, which would cost them about 5%.)
 */

/** Why `text`, which Node decoded to `decodedLength` bytes, is not canonical base64; undefined when it is. */
export function base64Problem(text: string, decodedLength: number): string | undefined {
  if (text.length % 4 !== 0) return `its length (${text.length}) is not a multiple of 4`;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  // Node skips what is not base64 (and stops at "=" inside the text): fewer bytes than the length promises.
  if (decodedLength !== (text.length / 4) * 3 - padding) return 'it has characters outside the base64 alphabet';
  // The bits the padding leaves over must be zero ("QQ==", not "QR==").
  if (padding > 0) {
    const last = sextet(text.charCodeAt(text.length - padding - 1));
    if ((padding === 2 ? last & 0x0f : last & 0x03) !== 0)
      return 'its last character before the padding has bits set that the padding drops';
  }
  return undefined;
}

/** The 6-bit value of a base64 character (standard alphabet). */
function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  return code === 43 ? 62 : 63; // + and /
}
