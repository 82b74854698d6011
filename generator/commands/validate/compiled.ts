/**
 * What `validate` and `sample` run, compiled once and kept: the model of the project's
 * schema (composed with its payload schemas exactly as `generate` composes them) and the
 * validator modules `generate` emits. Compiling costs about 150 ms and loads Ajv's
 * compiler, so a compiled schema is looked up first among those built with the package
 * (the embedded schema: `npm run build` writes them to dist/precompiled/, see
 * precompile.ts), then in the project's cache (node_modules/.cache/msk-codegen/), and
 * compiled (then cached) only when neither has it. The modules that compile are imported
 * only then.
 *
 * An entry is keyed by a hash of everything that determines it: the text of the event
 * schema and of each payload schema, the topics and unknownTopics of the config, the
 * module variant, msk-codegen's version and a hash of its own code (a changed generator
 * never reads an entry of another), and Ajv's version. Entries are written atomically (a
 * temporary file renamed into place) and carry a SHA-256 of their body: one that does not
 * parse, or whose checksum, key or variant does not match, is ignored and rewritten. At
 * worst the cache costs a compile; it never changes an answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PayloadsPlan } from '../../core/compose.js';
import type { ResolvedTopic } from '../../core/config.js';
import type { CodegenModel } from '../../core/model.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../core/package-root.js';
import type { JsonSchemaObject } from '../../core/schema-walk.js';

/** The emitted modules: validators.ts, validators-all-errors.ts, and the latter with every object closed (`validate --strict`). */
export type ModuleVariant = 'first-error' | 'all-errors' | 'all-errors-closed';
export type CollectorVariant = Exclude<ModuleVariant, 'first-error'>;

/** What determines a compiled schema. */
export interface CompileInputs {
  /** The event schema file. */
  readonly schemaFile: string;
  /** Typed payloads by topic (none: the event schema alone). */
  readonly topics: readonly ResolvedTopic[];
  readonly unknownTopics: 'reject' | 'bytes';
  /** Where the topics come from, for messages. */
  readonly configFile?: string | undefined;
}

/** The model and the first-error module, and the export names the modules use (from emit/validators.ts). */
export interface CompiledSchema {
  readonly model: CodegenModel;
  /** The payloads of the composed schema, when the config declares topics. */
  readonly plan?: PayloadsPlan;
  /** By definition name: its `validate<Name>` in the first-error module and its `collect<Name>Errors` in the collectors. */
  readonly validators: Readonly<Record<string, string>>;
  readonly collectors: Readonly<Record<string, string>>;
  /** The first-error module's `accept<Id>`, in the order of `model.legacyForms`. */
  readonly legacyValidators: readonly string[];
  /** The first-error module's code (validators.ts without its banner and types). */
  readonly firstError: string;
  /** The Avro and Protobuf decoders: codecs.ts as JavaScript, when a topic has such a payload. */
  readonly codecs?: string;
}

export type Origin = 'precompiled' | 'cache' | 'compiled';

export interface LoadedSchemaModules {
  readonly compiled: CompiledSchema;
  /** Where `compiled` came from. */
  readonly origin: Origin;
  /**
   * A collector module's code: from where the first-error module came from, or compiled
   * now (synchronously) and cached. Throws CompilerNeeded when it must be compiled and
   * the compiler is not loaded yet: `prepare()`, then ask again.
   */
  module(variant: CollectorVariant): string;
  /** Loads the compiler (Ajv's and the emitters), so that `module` can compile. */
  prepare(): Promise<void>;
}

/**
 * Thrown by `module` for a collector that no store has while the compiler is not loaded:
 * a run over valid files never needs a collector, so it never loads the compiler (with
 * Ajv) for one. The caller loads it (`prepare`) and runs its synchronous check again.
 */
export class CompilerNeeded extends Error {
  constructor(variant: CollectorVariant) {
    super(`the ${variant} module must be compiled: call prepare() first`);
    this.name = 'CompilerNeeded';
  }
}

export interface LoadOptions {
  /** The collector modules the caller may ask for: looked up now (read, not evaluated). */
  readonly collectors: readonly CollectorVariant[];
  /** The project's cache folder (default: found from `cwd`); `false`: none. */
  readonly cacheDir?: string | false | undefined;
  /** Where the modules built with the package are (default: dist/precompiled/ in the package); `false`: none. */
  readonly precompiledDir?: string | false | undefined;
  /** Where to look for the project's cache when `cacheDir` is not given. */
  readonly cwd?: string | undefined;
}

/** Bumped whenever the entry format changes. */
const ENTRY_FORMAT = 'msk-codegen-compiled/1';
/** Entries kept in a cache folder: enough for a few projects and schema versions. */
const MAX_ENTRIES = 60;

export const PRECOMPILED_DIR = path.join(PACKAGE_ROOT, 'dist', 'precompiled');

/** The transform of `all-errors-closed`: every object schema that lists its properties closed, so a field the schema does not name fails. */
export async function closedTransform(): Promise<(schema: JsonSchemaObject) => JsonSchemaObject> {
  const { isSchemaObject, mapSchemas } = await import('../../core/schema-walk.js');
  return (schema) =>
    mapSchemas(schema, (node) =>
      isSchemaObject(node['properties']) &&
      node['additionalProperties'] === undefined &&
      node['patternProperties'] === undefined
        ? { ...node, additionalProperties: false }
        : node,
    ) as JsonSchemaObject;
}

/**
 * The project's cache folder: node_modules/.cache/msk-codegen in the nearest folder from
 * `start` up that has a package.json and a node_modules folder (the convention of Babel,
 * ESLint and others); undefined when there is none (nothing is created outside a project).
 */
export function findCacheDir(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const modules = path.join(dir, 'node_modules');
      return existsSync(modules) ? path.join(modules, '.cache', 'msk-codegen') : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

let fingerprint: string | undefined;

/**
 * A hash of msk-codegen's own code (every module of the generator, as it runs: dist/'s
 * JavaScript or, in its tests, the TypeScript), its version and Ajv's: the compiled modules
 * depend on all of it. About a millisecond, once per process.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256').update(`${ENTRY_FORMAT}\0${PACKAGE_VERSION}\0`);
  try {
    const ajv = createRequire(import.meta.url)('ajv/package.json') as { version?: string };
    hash.update(`ajv ${ajv.version ?? '?'}\0`);
  } catch {
    hash.update('ajv ?\0');
  }
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((file) => /\.(js|ts|mjs)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  fingerprint = hash.digest('hex');
  return fingerprint;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

interface InputTexts {
  /** The hash that names the entries (one file per variant). */
  readonly key: string;
  /** Each input file with the hash of its text, to tell whether it changed while compiling. */
  readonly files: ReadonlyMap<string, string>;
}

/** Reads the inputs and hashes them; undefined when one cannot be read (compiling reports that properly). */
function inputTexts(inputs: CompileInputs): InputTexts | undefined {
  const files = new Map<string, string>();
  const hashOf = (file: string): string => {
    let hash = files.get(file);
    if (hash === undefined) {
      hash = sha256(readFileSync(file));
      files.set(file, hash);
    }
    return hash;
  };
  try {
    const side = (spec: ResolvedTopic['key']) => ({
      ...spec,
      schema: spec.schema !== undefined ? hashOf(spec.schema) : null,
    });
    const described = {
      format: ENTRY_FORMAT,
      code: codeFingerprint(),
      schema: hashOf(inputs.schemaFile),
      topics: inputs.topics.map((t) => ({ topic: t.topic, key: side(t.key), value: side(t.value) })),
      unknownTopics: inputs.topics.length > 0 ? inputs.unknownTopics : null,
    };
    return { key: sha256(JSON.stringify(described)), files };
  } catch {
    return undefined;
  }
}

/** Whether every input still has the text it was hashed with (a file edited during a compile must not be cached under the old text). */
function unchanged(texts: InputTexts): boolean {
  try {
    for (const [file, hash] of texts.files) if (sha256(readFileSync(file)) !== hash) return false;
    return true;
  } catch {
    return false;
  }
}

const entryFile = (dir: string, key: string, variant: ModuleVariant) => path.join(dir, `${key}.${variant}.json`);

/** The body of an entry, if `file` holds a sound one for `key` and `variant`. */
function readEntry(file: string, key: string, variant: ModuleVariant): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  const [format, checksum] = text.slice(0, Math.max(0, newline)).split(' ');
  const body = text.slice(newline + 1);
  if (newline < 0 || format !== ENTRY_FORMAT || checksum !== sha256(body)) return undefined;
  try {
    const entry = JSON.parse(body) as Record<string, unknown>;
    return entry['key'] === key && entry['variant'] === variant ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes an entry atomically (a temporary file in the same folder, renamed over the
 * entry), then keeps the folder to MAX_ENTRIES. Best effort: a cache that cannot be
 * written (a read-only node_modules) is no error.
 */
export function writeEntry(dir: string, key: string, variant: ModuleVariant, body: Record<string, unknown>): boolean {
  const text = JSON.stringify({ key, variant, ...body });
  const file = entryFile(dir, key, variant);
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, `${ENTRY_FORMAT} ${sha256(text)}\n${text}`);
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
  prune(dir);
  return true;
}

/** Removes the least recently written entries beyond MAX_ENTRIES (and temporary files older than a minute). */
function prune(dir: string): void {
  try {
    const entries = readdirSync(dir)
      .map((name) => ({ name, at: statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    const stale = Date.now() - 60_000;
    let kept = 0;
    for (const entry of entries) {
      const temporary = entry.name.endsWith('.tmp');
      if (temporary ? entry.at < stale : ++kept > MAX_ENTRIES) rmSync(path.join(dir, entry.name), { force: true });
    }
  } catch {
    // Another process pruning at the same time: nothing to do.
  }
}

/**
 * The modules that compile, imported only when something must be compiled: with them
 * Ajv's compiler, which a run that finds its modules built or cached never loads.
 */
interface Compiler {
  readonly compileValidatorModule: typeof import('../../emit/validators.js').compileValidatorModule;
  readonly validatorName: (name: string) => string;
  readonly collectorName: (name: string) => string;
  readonly legacyValidatorNames: (forms: CodegenModel['legacyForms']) => string[];
  readonly closed: (schema: JsonSchemaObject) => JsonSchemaObject;
}

async function loadCompiler(): Promise<Compiler> {
  const [{ compileValidatorModule, validatorName, collectorName, legacyValidatorNames }, closed] = await Promise.all([
    import('../../emit/validators.js'),
    closedTransform(),
  ]);
  return { compileValidatorModule, validatorName, collectorName, legacyValidatorNames, closed };
}

function compileVariant(compiler: Compiler, model: CodegenModel, schemaFile: string, variant: ModuleVariant): string {
  const mode = variant === 'first-error' ? 'first-error' : 'all-errors';
  return compiler.compileValidatorModule(
    model,
    schemaFile,
    mode,
    variant === 'all-errors-closed' ? { transform: compiler.closed } : {},
  );
}

/**
 * Compiles the schema as `generate` does: the event schema loaded and checked, composed
 * with the payload schemas when the config declares topics, its model, and the first-error
 * module. Throws CodegenError on bad input, as `generate` would.
 */
export async function compileSchema(
  inputs: CompileInputs,
  compiler?: Compiler,
): Promise<{ readonly compiled: CompiledSchema; readonly compiler: Compiler }> {
  const [{ loadSchema }, { buildModel }, { NORMALIZER_NAMES }, ready] = await Promise.all([
    import('../../core/load.js'),
    import('../../core/model.js'),
    import('../../runtime/normalizers.js'),
    compiler ?? loadCompiler(),
  ]);
  const event = await loadSchema(inputs.schemaFile);
  let plan: PayloadsPlan | undefined;
  let loaded = event;
  if (inputs.topics.length > 0) {
    const { composePayloads } = await import('../../core/compose.js');
    ({ loaded, plan } = await composePayloads(event, inputs.topics, inputs.unknownTopics, inputs.configFile));
  }
  const model = buildModel(loaded, NORMALIZER_NAMES);
  const names = (name: (definition: string) => string) =>
    Object.fromEntries(model.definitions.map((d) => [d.name, name(d.name)]));
  const compiled: CompiledSchema = {
    model,
    ...(plan ? { plan } : {}),
    validators: names(ready.validatorName),
    collectors: names(ready.collectorName),
    legacyValidators: ready.legacyValidatorNames(model.legacyForms),
    firstError: compileVariant(ready, model, inputs.schemaFile, 'first-error'),
    ...(plan ? await codecsModule(plan) : {}),
  };
  return { compiled, compiler: ready };
}

/**
 * codecs.ts as `generate` emits it, as JavaScript (TypeScript's transpiler, from the
 * TypeScript ts-morph ships, takes its types off), when a topic has an Avro or Protobuf payload.
 */
async function codecsModule(plan: PayloadsPlan): Promise<{ codecs?: string }> {
  const { codecsOf, emitCodecs } = await import('../../emit/codecs.js');
  if (codecsOf(plan).length === 0) return {};
  const [source, { ts }] = await Promise.all([emitCodecs(plan, ''), import('ts-morph')]);
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: true },
  });
  return { codecs: outputText };
}

/** The compiled schema for `inputs`: built with the package, cached, or compiled now (and cached). */
export async function loadSchemaModules(inputs: CompileInputs, options: LoadOptions): Promise<LoadedSchemaModules> {
  const texts = inputTexts(inputs);
  const cacheDir =
    options.cacheDir === undefined ? findCacheDir(options.cwd ?? process.cwd()) : options.cacheDir || undefined;
  const precompiledDir = options.precompiledDir === undefined ? PRECOMPILED_DIR : options.precompiledDir || undefined;
  const stores = texts ? [precompiledDir, cacheDir].filter((dir): dir is string => dir !== undefined) : [];

  let found: { compiled: CompiledSchema; origin: Origin; dir: string } | undefined;
  for (const dir of stores) {
    const entry = readEntry(entryFile(dir, texts?.key ?? '', 'first-error'), texts?.key ?? '', 'first-error');
    if (entry && typeof entry['compiled'] === 'object' && entry['compiled'] !== null) {
      found = {
        compiled: entry['compiled'] as unknown as CompiledSchema,
        origin: dir === precompiledDir ? 'precompiled' : 'cache',
        dir,
      };
      break;
    }
  }
  // Collectors are looked up where the first-error module was found, then in the cache.
  const modules = new Map<CollectorVariant, string>();
  if (found && texts) {
    for (const variant of options.collectors) {
      for (const dir of [found.dir, cacheDir]) {
        const entry = dir === undefined ? undefined : readEntry(entryFile(dir, texts.key, variant), texts.key, variant);
        if (typeof entry?.['code'] === 'string') {
          modules.set(variant, entry['code']);
          break;
        }
      }
    }
  }

  let compiler: Compiler | undefined;
  let compiled: CompiledSchema;
  let origin: Origin;
  if (found) {
    ({ compiled, origin } = found);
  } else {
    ({ compiled, compiler } = await compileSchema(inputs));
    origin = 'compiled';
    if (texts && cacheDir && unchanged(texts)) writeEntry(cacheDir, texts.key, 'first-error', { compiled });
  }

  return {
    compiled,
    origin,
    module(variant) {
      const known = modules.get(variant);
      if (known !== undefined) return known;
      if (!compiler) throw new CompilerNeeded(variant);
      const code = compileVariant(compiler, compiled.model, inputs.schemaFile, variant);
      modules.set(variant, code);
      if (texts && cacheDir && unchanged(texts)) writeEntry(cacheDir, texts.key, variant, { code });
      return code;
    },
    async prepare() {
      compiler ??= await loadCompiler();
    },
  };
}

/**
 * Writes the entries of `inputs` (every variant) to `dir`, for a read-only store such as
 * dist/precompiled/. Returns the key.
 */
export async function precompileInto(dir: string, inputs: CompileInputs): Promise<string> {
  const texts = inputTexts(inputs);
  if (!texts) throw new Error(`cannot read the inputs of ${inputs.schemaFile}`);
  const { compiled, compiler } = await compileSchema(inputs);
  const written = [
    writeEntry(dir, texts.key, 'first-error', { compiled }),
    ...(['all-errors', 'all-errors-closed'] as const).map((variant) =>
      writeEntry(dir, texts.key, variant, {
        code: compileVariant(compiler, compiled.model, inputs.schemaFile, variant),
      }),
    ),
  ];
  if (written.includes(false)) throw new Error(`cannot write to ${dir}`);
  return texts.key;
}
