// Section 7 diagnostics: where `msk-codegen validate` spends its time, measured inside one
// fresh process. Repeats the steps of validateFiles (dist/generator/validate/index.js) with
// the same modules, one timer per step; the first compile of the process is the one a user pays.
//   node bench/validate-phases.mjs <files|globs...>     (prints JSON; run in the events' directory)
const bootMs = performance.now(); // process start to the first line of user code
const t = () => performance.now();

let mark = t();
const { readFile, stat } = await import('node:fs/promises');
const path = await import('node:path');
const { glob, isDynamicPattern } = await import('tinyglobby');
const { resolveConfig } = await import('../dist/generator/config.js');
const { compileRuntimeValidator } = await import('../dist/generator/validate/validator.js');
const { validateFiles } = await import('../dist/generator/validate/index.js');
const { formatText } = await import('../dist/generator/validate/report.js');
const importMs = t() - mark;

const cwd = process.cwd();
const inputs = process.argv.slice(2);

mark = t();
const config = await resolveConfig({ cwd });
const configMs = t() - mark;

mark = t();
const validator = await compileRuntimeValidator(config.schema, 'event');
const compileMs = t() - mark;

mark = t();
const files = [];
for (const input of inputs) files.push(...(isDynamicPattern(input) ? (await glob(input, { cwd, onlyFiles: true, dot: false })).sort() : [input]));
const globMs = t() - mark;

let readMs = 0;
let parseMs = 0;
let checkMs = 0;
let valid = 0;
for (const file of files) {
  const absolute = path.resolve(cwd, file);
  let at = t();
  if ((await stat(absolute)).isDirectory()) throw new Error(`${file} is a directory`);
  const text = await readFile(absolute, 'utf8');
  readMs += t() - at;
  at = t();
  const value = JSON.parse(text);
  parseMs += t() - at;
  at = t();
  if (validator.check(value).valid) valid++;
  checkMs += t() - at;
}
if (valid !== files.length) throw new Error(`${files.length - valid} of ${files.length} files invalid`);

// For information: a second compile in the same process, and the whole of validateFiles once warm.
mark = t();
await compileRuntimeValidator(config.schema, 'event');
const secondCompileMs = t() - mark;
mark = t();
const report = await validateFiles({ cwd, inputs });
formatText(report);
const warmValidateFilesMs = t() - mark;
if (report.summary.valid !== files.length) throw new Error('validateFiles disagrees with the step-by-step run');

process.stdout.write(`${JSON.stringify({ files: files.length, bootMs, importMs, configMs, compileMs, globMs, readMs, parseMs, checkMs, secondCompileMs, warmValidateFilesMs })}\n`);
