/**
 * The peephole rules rewrite Ajv's output; these tests make sure each rule still finds
 * what it rewrites (an Ajv upgrade may change its output).
 */
import { describe, expect, it } from 'vitest';
import { optimizeValidators, peepholeRules } from '../../../generator/emit/optimize.js';
import { compileValidatorModule } from '../../../generator/emit/validators.js';
import { loadSchema } from '../../../generator/core/load.js';
import { buildModel } from '../../../generator/core/model.js';
import { EMBEDDED_SCHEMA_PATH } from '../../helpers.js';

/** Both modules' code as Ajv writes it (before the peephole rules) and after them. */
async function modules() {
  const model = buildModel(await loadSchema(EMBEDDED_SCHEMA_PATH), [
    'base64-to-signed-bytes',
    'decimal-string-to-integer',
  ]);
  const compile = (mode: 'first-error' | 'all-errors', optimize: boolean) =>
    compileValidatorModule(model, EMBEDDED_SCHEMA_PATH, mode, { optimize });
  return {
    plain: [compile('first-error', false), compile('all-errors', false)],
    optimized: [compile('first-error', true), compile('all-errors', true)],
  };
}

describe('peephole rules', () => {
  it("each rule still applies to the embedded schema's validators (first-error or all-errors)", async () => {
    const { plain } = await modules();
    const applied = plain.map((code) => optimizeValidators(code).applied);
    for (const rule of peepholeRules)
      expect(
        applied.reduce((n, a) => n + (a[rule.name] ?? 0), 0),
        rule.name,
      ).toBeGreaterThan(0);
  });

  it('leave no trace of the idioms they replace', async () => {
    const { optimized } = await modules();
    for (const code of optimized) {
      expect(code).not.toContain('isNaN(');
      expect(code).not.toMatch(/% 1\)/);
      expect(code).not.toMatch(/Object\.keys\((data\d*)\)\.length [<>] \d+\)\{/);
      expect(code).not.toContain('schemaPath');
      expect(code).not.toContain('if(vErrors === null)');
    }
  });
});

// That the optimized validators behave exactly as Ajv's own, on 10,000+ events and
// mutations, is tested against Ajv compiled at run time in validators.test.ts.
