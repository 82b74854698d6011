/**
 * base64Problem: what is canonical base64 (RFC 4648 §4, standard alphabet, padded, zero
 * pad bits). Expected lengths worked out by hand: 4 characters carry 3 bytes, less one
 * per "=".
 */
import { describe, expect, it } from 'vitest';
import { base64Problem } from '../../../generator/runtime/base64.js';

const check = (text: string) => base64Problem(text, Buffer.from(text, 'base64').length);

describe('base64Problem', () => {
  it.each(['', 'QQ==', 'QUI=', 'QUJD', 'AAEC/f7/', '+/+/', 'w6s='])('%j is canonical', (text) => {
    expect(check(text)).toBeUndefined();
  });

  it('the URL-safe alphabet decodes to the bytes the standard one does, so this check lets it pass (validate reports it)', () => {
    expect(Buffer.from('-_-_', 'base64')).toEqual(Buffer.from('+/+/', 'base64'));
    expect(check('-_-_')).toBeUndefined();
  });

  it.each([
    ['QUJ', 'its length (3) is not a multiple of 4'],
    ['QUJD\n', 'its length (5) is not a multiple of 4'],
    ['QUJ DRA=', 'it has characters outside the base64 alphabet'],
    ['@@@not base64@@@', 'it has characters outside the base64 alphabet'],
    ['!!!!', 'it has characters outside the base64 alphabet'],
    ['====', 'it has characters outside the base64 alphabet'],
    ['QQ==QQ==', 'it has characters outside the base64 alphabet'],
    ['QR==', 'its last character before the padding has bits set that the padding drops'],
    ['QUJ=', 'its last character before the padding has bits set that the padding drops'],
  ])('%j: %s', (text, problem) => {
    expect(check(text)).toBe(problem);
  });
});
