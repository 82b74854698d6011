// Where does the generated validator's time go? `node bench/variants.mjs [--polluted]` (not
// part of `npm run bench`). Writes patched copies of generated/validators.js into bench/.out/variants/,
// each removing one cost from the happy path, and times their validateKafkaEvent against the
// original and the floor on the canonical events. The patches are diagnostics only: several
// break error reporting (paths, allErrors bookkeeping), so none is a drop-in fix as is.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { canonicalEvents } from './events.mjs';
import { floorIsKafkaEvent } from './floor.mjs';
import { brokenCopies } from './sanity.mjs';
import { measure } from './timing.mjs';

const SOURCE = readFileSync(new URL('../generated/validators.js', import.meta.url), 'utf8');
const DIR = fileURLToPath(new URL('./.out/variants/', import.meta.url));
mkdirSync(DIR, { recursive: true });

/** [name, what it removes, (source) => patched source]; each must change the source. */
const PATCHES = [
  ['record-path', 'per-record instancePath string (2 regex replaces on the records key + concatenation), built on every call even when valid',
    (s) => s.replace(/validate23\((data\d+)\[i0\], \{instancePath:instancePath\+"\/records\/" \+ key1\.replace\(\/~\/g, "~0"\)\.replace\(\/\\\/\/g, "~1"\)\+"\/" \+ i0,/g, 'validate23($1[i0], {instancePath,')],
  ['record-call', 'the per-record options object and its destructuring with defaults (record validator called with data only)',
    (s) => s
      .replace(/validate23\((data\d+)\[i0\], \{[^}]*\}\)/g, 'validate23($1[i0])')
      .replace('function validate23(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){', 'function validate23(data){\nconst instancePath="";')],
  ['header-keys', 'the two Object.keys(header) arrays per header (min/maxProperties), counted with one for-in instead',
    (s) => s
      .replace(/if\(Object\.keys\((data\d+)\)\.length > 1\)\{/g, 'let nk_$1 = 0; for (const k_ in $1) nk_$1++;\nif(nk_$1 > 1){')
      .replace(/if\(Object\.keys\((data\d+)\)\.length < 1\)\{/g, 'if(nk_$1 < 1){')],
  ['integer-check', 'Ajv\'s integer test (typeof, % 1, isNaN, isFinite) per header byte and number, replaced by Number.isInteger',
    (s) => s.replace(/\(\(\(typeof (data\d+) == "number"\) && \(!\(\1 % 1\) && !isNaN\(\1\)\)\) && \(isFinite\(\1\)\)\)/g, 'Number.isInteger($1)')],
  ['byte-range', 'the second isFinite/typeof test and the isNaN tests around each header byte\'s minimum/maximum',
    (s) => s.replace(/if\(\(typeof (data\d+) == "number"\) && \(isFinite\(\1\)\)\)\{\nif\(\1 > 127 \|\| isNaN\(\1\)\)\{/g, 'if(true){\nif($1 > 127){').replace(/if\((data\d+) < -128 \|\| isNaN\(\1\)\)\{/g, 'if($1 < -128){')],
  ['evaluated', 'the unevaluated-properties bookkeeping (evaluated reads per call, props0 object per event in the discriminator)',
    (s) => s.replace(/const evaluated0 = validate\d+\.evaluated;\nif\(evaluated0\.dynamicProps\)\{\nevaluated0\.props = undefined;\n\}\nif\(evaluated0\.dynamicItems\)\{\nevaluated0\.items = undefined;\n\}\n/g, '')
      .replace(/var props0 = \{\};\nprops0\.eventSource = true;\nprops0\.eventSourceArn = true;\nprops0\.bootstrapServers = true;\nprops0\.records = true;\n/g, 'var props0 = true;\n')
      .replace(/evaluated0\.props = props0;\n/g, '')],
];

function apply(source, names) {
  let out = source;
  for (const name of names) {
    const [, , patch] = PATCHES.find((p) => p[0] === name);
    const next = patch(out);
    if (next === out) throw new Error(`patch "${name}" did not apply: the generated code changed; update bench/variants.mjs`);
    out = next;
  }
  return out;
}

// Each patch alone, then cumulatively in order of effect.
const CUMULATIVE = ['record-call', 'header-keys', 'integer-check', 'evaluated', 'byte-range'];
const variants = [
  ['original', []],
  ...PATCHES.map(([name]) => [`only ${name}`, [name]]),
  ...CUMULATIVE.slice(1).map((_, i) => [`+${CUMULATIVE.slice(0, i + 2).join('+')}`.replace(/\+record-call\+header-keys\+integer-check\+evaluated\+byte-range$/, 'all patches'), CUMULATIVE.slice(0, i + 2)]),
];
const events = canonicalEvents();
const loaded = [];
for (const [label, names] of variants) {
  const file = `${DIR}${label.replace(/\W+/g, '-')}.mjs`;
  writeFileSync(file, apply(SOURCE, names));
  const mod = await import(pathToFileURL(file).href);
  const validate = mod.validateKafkaEvent;
  for (const e of events) if (!validate(e.event)) throw new Error(`${label} rejects the canonical ${e.name} event`);
  loaded.push({ label, validate });
}
// Still correct yes/no checks? Checked after timing: feeding the broken copies first changes
// the type feedback the timed code runs with. With --polluted, they are fed to every
// candidate (the floor included) before timing, to see how each copes with having seen
// invalid input (a function that receives the odd bad event).
const POLLUTED = process.argv.includes('--polluted');
const broken = brokenCopies(events[1].event);
function checkCorrectness() {
  for (const { label, validate } of loaded) {
    for (const c of broken) if (validate(c.value) !== c.expected) throw new Error(`${label} is wrong on "${c.label}"`);
  }
  for (const c of broken) if (floorIsKafkaEvent(c.value) !== c.expected) throw new Error(`floor is wrong on "${c.label}"`);
}
if (POLLUTED) checkCorrectness();

console.log(`Patched copies of generated/validators.js (bench/.out/variants/); ns/record of validateKafkaEvent, median${POLLUTED ? '; POLLUTED: all candidates saw the broken copies first' : ''}`);
for (const [name, what] of PATCHES) console.log(`  ${name.padEnd(14)} removes ${what}`);
for (const e of events) {
  const cases = [...loaded.map((v) => ({ id: v.label, label: `${v.label} ${e.name}`, fn: v.validate, arg: e.event })),
    { id: 'floor', label: `floor ${e.name}`, fn: floorIsKafkaEvent, arg: e.event }];
  const big = e.name === '~6 MB';
  const res = measure(cases, big ? { warmupMs: 300, roundMs: 100, rounds: 7 } : { warmupMs: 200, roundMs: 40, rounds: 9 });
  const orig = res.find((r) => r.id === 'original').median;
  const floor = res.find((r) => r.id === 'floor').median;
  console.log(`\n${e.name} (${e.records} records)`);
  for (const r of res) {
    const perRecord = r.median / e.records;
    console.log(`  ${r.id.padEnd(48)} ${perRecord.toFixed(0).padStart(6)} ns/record   ${(r.median / orig).toFixed(2)}x original   ${(r.median / floor).toFixed(2)}x floor`);
  }
}

if (!POLLUTED) checkCorrectness();
console.log(`\nAll variants and the floor give the expected answer on ${broken.length} broken/edge copies.`);
