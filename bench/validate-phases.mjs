// Section 7 diagnostics: where `msk-codegen validate` spends its time, measured inside one
// fresh process. Repeats the steps of validateFiles (dist/generator/commands/validate/index.js) with
// the same modules, one timer per step: loading the validators (built with the package for
// the embedded schema, cached, or compiled: the origin is printed), then per file a
// synchronous stat + read (readRegularFileSync, as validateFiles reads), JSON.parse, check.
//   node bench/validate-phases.mjs <files|globs...>     (prints JSON; run in the events' directory)
const bootMs = performance.now(); // process start to the first line of user code
const t = () => performance.now();

let mark = t();
const path = await import('node:path');
const { readRegularFileSync } = await import('../dist/generator/core/regular-file.js');
const { glob, isDynamicPattern } = await import('tinyglobby');
const { resolveConfig } = await import('../dist/generator/core/config.js');
const { compileRuntimeValidator } = await import('../dist/generator/commands/validate/validator.js');
const { validateFiles } = await import('../dist/generator/commands/validate/index.js');
const { formatText } = await import('../dist/generator/commands/validate/report.js');
const importMs = t() - mark;

const cwd = process.cwd();
const inputs = process.argv.slice(2);

mark = t();
const config = await resolveConfig({ cwd });
const configMs = t() - mark;

mark = t();
const payloads =
  config.topics.length > 0
    ? { topics: config.topics, unknownTopics: config.unknownTopics, configFile: config.configFile }
    : {};
const validator = await compileRuntimeValidator(config.schema, 'event', { cwd, ...payloads });
const compileMs = t() - mark;
const origin = validator.origin;

mark = t();
const files = [];
for (const input of inputs)
  files.push(...(isDynamicPattern(input) ? (await glob(input, { cwd, onlyFiles: true, dot: false })).sort() : [input]));
const globMs = t() - mark;

let readMs = 0;
let parseMs = 0;
let checkMs = 0;
let valid = 0;
for (const file of files) {
  const absolute = path.resolve(cwd, file);
  let at = t();
  const text = readRegularFileSync(absolute, 'utf8');
  readMs += t() - at;
  at = t();
  const value = JSON.parse(text);
  parseMs += t() - at;
  at = t();
  const outcome = validator.check(value, { maxIssues: 100 });
  if (outcome.valid && (validator.payloads?.check(outcome.normalized, 100).errors ?? 0) === 0) valid++;
  checkMs += t() - at;
}
if (valid !== files.length) throw new Error(`${files.length - valid} of ${files.length} files invalid`);

// For information: a compile from scratch (no store) in the same process, and the whole of validateFiles once warm.
mark = t();
await compileRuntimeValidator(config.schema, 'event', { ...payloads, cacheDir: false, precompiledDir: false });
const secondCompileMs = t() - mark;
mark = t();
const report = await validateFiles({ cwd, inputs });
formatText(report);
const warmValidateFilesMs = t() - mark;
if (report.summary.valid !== files.length) throw new Error('validateFiles disagrees with the step-by-step run');

process.stdout.write(
  `${JSON.stringify({ files: files.length, origin, bootMs, importMs, configMs, compileMs, globMs, readMs, parseMs, checkMs, secondCompileMs, warmValidateFilesMs })}\n`,
);
