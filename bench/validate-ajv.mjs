// Section 7 reference, "compile at run time": what Ajv's own CLI (`ajv validate -s schema -d
// 'glob'`) does, written out because ajv-cli is not a dependency. Loads Ajv 2020, compiles
// the schema, expands the globs, then reads, JSON.parses and validates each file and prints
// "<file> valid" as ajv-cli does. Exit 1 if a file is invalid.
//   node bench/validate-ajv.mjs <schema.json> <files|globs...>
// The last line is a summary with the compile time, which bench/validate.mjs reads.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { glob, isDynamicPattern } from 'tinyglobby';

const [schemaFile, ...inputs] = process.argv.slice(2);
const t0 = performance.now();
const ajv = new Ajv2020({
  allErrors: true,
  discriminator: true,
  strict: true,
  strictRequired: false,
  validateFormats: false,
});
// msk-codegen's own annotation keywords (x-strict: the precise formats `validate --strict` checks).
for (const keyword of ['x-legacy-forms', 'x-strict']) ajv.addKeyword({ keyword });
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
const compileMs = performance.now() - t0;

// Same expansion as msk-codegen validate (tinyglobby, sorted), so both list the same files.
const files = [];
for (const input of inputs)
  files.push(...(isDynamicPattern(input) ? (await glob(input, { onlyFiles: true, dot: false })).sort() : [input]));

const lines = [];
let invalid = 0;
for (const file of files) {
  if (validate(JSON.parse(readFileSync(file, 'utf8')))) lines.push(`${file} valid`);
  else {
    invalid++;
    lines.push(`${file} invalid`, JSON.stringify(validate.errors, null, 2));
  }
}
lines.push(
  `${files.length} files, ${files.length - invalid} valid, ${invalid} invalid (compile ${compileMs.toFixed(1)} ms)`,
);
process.stdout.write(`${lines.join('\n')}\n`);
if (invalid > 0) process.exitCode = 1;
