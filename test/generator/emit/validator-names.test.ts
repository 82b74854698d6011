/** legacyValidatorNames: the first-error module names each legacy form's validator after its id, uniquely. */
import { describe, expect, it } from 'vitest';
import { legacyValidatorNames } from '../../../generator/emit/validators.js';

const forms = (...ids: string[]) => ids.map((id) => ({ id }));

describe('legacyValidatorNames', () => {
  it('names a form after its kebab-case id', () => {
    expect(
      legacyValidatorNames(forms('partition-as-decimal-string', 'header-value-as-base64-string', 'x', '2020-form')),
    ).toEqual(['acceptPartitionAsDecimalString', 'acceptHeaderValueAsBase64String', 'acceptX', 'accept_2020Form']);
  });

  it('keeps ids that differ only around a digit apart (`a-1b` is not `a1b`)', () => {
    expect(legacyValidatorNames(forms('a-1b', 'a1b'))).toEqual(['acceptA_1b', 'acceptA1b']);
  });

  it('numbers the second and later forms with one id, never taking a name another form has', () => {
    expect(legacyValidatorNames(forms('x', 'x', 'x-2', 'x'))).toEqual([
      'acceptX',
      'acceptX_3',
      'acceptX_2',
      'acceptX_4',
    ]);
  });

  it('gives valid, distinct identifiers for any ids the schema may declare', () => {
    const ids = ['a', 'a', 'a-1', 'a1', 'a-1-1', 'a-11', '1', '1-a', 'a-a', 'aa', 'a-2', 'a', 'a-3'];
    const names = legacyValidatorNames(forms(...ids));
    expect(new Set(names).size).toBe(ids.length);
    for (const name of names) expect(name).toMatch(/^accept[A-Za-z0-9_]+$/);
  });
});
