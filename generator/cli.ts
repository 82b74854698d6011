/**
 * The command line: parses arguments, calls the API, prints, and returns an exit code
 * (0 ok, 1 check failed, 2 usage, bad input or internal error). Never calls process.exit.
 */
import { Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import * as path from 'node:path';
import { CodegenError, DiagnosticCodes, formatDiagnostic, relativeToCwd } from './core/diagnostics.js';
import { OutputWriteError } from './output/folder.js';
import { PACKAGE_VERSION } from './core/package-root.js';
import { SOURCES, type Source } from './commands/scaffold/sources.js';

export const ExitCode = { ok: 0, checkFailed: 1, error: 2 } as const;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Environment variables (GITHUB_ACTIONS turns on annotations). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Standard input, for `validate -`. */
  readonly readStdin?: () => Promise<string>;
  /** Ends `generate --watch` (default: Ctrl-C). */
  readonly signal?: AbortSignal;
  /**
   * Progress lines on stderr before work that takes over a second (scaffold's type check).
   * Default: only when stderr is a terminal, like git's progress: logs and pipes stay as they were.
   */
  readonly progress?: boolean;
  /** How much to print, from --quiet and --silent: set by runCli for the command it runs. */
  readonly level?: OutputLevel;
  /** Where errors go: unlike `stderr`, still written under --quiet (set by runCli; default: stderr). */
  readonly errors?: (text: string) => void;
}

/**
 * `normal`; `quiet` (--quiet): errors only, plus what validate and sample exist to print
 * (validate lists only its errors); `silent` (--silent): nothing at all, the exit code says it.
 */
export type OutputLevel = 'normal' | 'quiet' | 'silent';

/** Commands whose standard output is their result, not a message: --quiet keeps it. */
const RESULT_ON_STDOUT = new Set(['validate', 'sample']);

const drop = (_text: string): void => {};

/** The io a command runs with at `level`: messages dropped, errors kept unless silent. */
function atLevel(io: CliIo, level: OutputLevel, command: string): CliIo {
  if (level === 'normal') return { ...io, level, errors: io.errors ?? io.stderr };
  return {
    ...io,
    level,
    stdout: level === 'quiet' && RESULT_ON_STDOUT.has(command) ? io.stdout : drop,
    stderr: drop,
    errors: level === 'quiet' ? (io.errors ?? io.stderr) : drop,
    progress: false,
  };
}

/**
 * The level named on the command line, read before commander parses it: commander prints
 * its own messages (help, usage errors) while parsing. Tokens after `--` are arguments.
 */
function levelInArgv(argv: readonly string[]): OutputLevel {
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  return flags.includes('--silent') ? 'silent' : flags.includes('--quiet') ? 'quiet' : 'normal';
}

const defaultIo: CliIo = {
  stdout: writerTo(process.stdout),
  stderr: writerTo(process.stderr),
  cwd: process.cwd(),
  env: process.env,
  progress: process.stderr.isTTY === true,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/**
 * Writes to a standard stream until it breaks. When the reader goes away (`generate | head -1`)
 * a write fails with EPIPE, reported as an 'error' event that would otherwise crash the
 * process, possibly half-way through writing files. From then on output is dropped silently
 * and the command finishes normally, with its usual exit code.
 */
export function writerTo(stream: NodeJS.WritableStream): (text: string) => void {
  let broken = false;
  let listening = false;
  return (text) => {
    if (broken) return;
    if (!listening) {
      stream.on('error', () => {
        broken = true;
      });
      listening = true;
    }
    try {
      stream.write(text);
    } catch {
      broken = true;
    }
  };
}

interface GenerateFlags {
  schema?: string;
  out?: string;
  config?: string;
  check?: boolean;
  watch?: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const given = io;
  const early = levelInArgv(argv);
  // Commander's own output (help, --version); its errors are reported below, in msk-codegen's style.
  const commanderOut = early === 'silent' ? drop : given.stdout;
  const commanderErr = early === 'silent' ? drop : given.stderr;
  // The command whose arguments commander refused (for the "--help" it points at).
  let refusedBy: string | undefined;
  const program = new Command('msk-codegen')
    .description(
      'Types, precompiled validators and a parse API for the Kafka events AWS Lambda delivers, from one JSON Schema.',
    )
    .version(PACKAGE_VERSION, '-v, --version')
    .option('--quiet', 'print errors only (validate: its errors; sample: the event)')
    .option('--silent', 'print nothing: the exit code says how it went')
    .exitOverride()
    .configureOutput({ writeOut: commanderOut, writeErr: commanderErr, outputError: () => {} })
    .configureHelp({ showGlobalOptions: true, optionDescription: describeOption });

  // Every command runs with the io of the level the command line asks for: the actions below
  // read `io` when they run, after this hook has set it.
  program.hook('preAction', (_program, action) => {
    const { quiet, silent } = program.opts<{ quiet?: boolean; silent?: boolean }>();
    io = atLevel(given, silent ? 'silent' : quiet ? 'quiet' : 'normal', action.name());
  });

  program
    .command('generate')
    .description('generate types, validators and the parse API from the event schema')
    .option('--schema <file>', 'event schema (default: from msk-codegen.config.json, else the embedded schema)')
    .option('-o, --out <dir>', 'output directory (default: from msk-codegen.config.json, else ./generated)')
    .option('-c, --config <file>', 'config file (default: ./msk-codegen.config.json if present)')
    .option('--check', 'write nothing; exit 1 and show a short diff if the output directory is not up to date')
    .option('-w, --watch', 'regenerate whenever the config file or the schema changes (Ctrl-C to stop)')
    .action(async (flags: GenerateFlags) => {
      exitCode = await generateCommand(flags, io);
    });

  program
    .command('scaffold')
    .description('create a Kafka handler and its test (handlers/<name>.ts), type-checked against the generated API')
    .argument('<name>', 'handler name: a letter, then letters, digits, "-" or "_" (e.g. orders)')
    .addOption(new Option('--source <source>', 'which events the handler takes').choices([...SOURCES]))
    .option('--partial-batch', 'return the failed records (ReportBatchItemFailures) instead of failing the whole batch')
    .option(
      '--topic <topic>',
      'a topic msk-codegen.config.json declares: the handler gets its values typed and validated',
    )
    .option('--dir <dir>', 'where handlers go', 'handlers')
    .addOption(
      new Option(
        '--test <runner>',
        'the test runner the test is written for: vitest, node (node:test, run on the compiled JavaScript) or none (no test) (default: vitest if the project has it, else node)',
      ).choices(['vitest', 'node', 'none']),
    )
    .option(
      '--templates <dir>',
      'your own handler.ts.hbs and handler.test.ts.hbs (with --topic: handler.topic.ts.hbs, handler.topic.test.ts.hbs; with --test node: handler.node.test.ts.hbs, handler.topic.node.test.ts.hbs), with the variables of the built-in ones',
    )
    .option('--force', 'overwrite an existing handler and test')
    .option(
      '--update',
      "re-apply the template's imports and types to an existing handler and its test, keeping your code",
    )
    .option(
      '-c, --config <file>',
      'config file (default: ./msk-codegen.config.json if present): says where generated/ is',
    )
    .action(async (name: string, flags: ScaffoldFlags) => {
      exitCode = await scaffoldCommand(name, flags, io);
    });

  program
    .command('validate')
    .description('check event files (or batch responses) against the schema; exit 1 if any is invalid')
    .argument('[inputs...]', "files, globs (quote them: 'events/**/*.json') or - for standard input")
    .addOption(
      new Option('--kind <kind>', 'what the files hold: events, batch responses, or on-failure destination records')
        .choices(['event', 'response', 'on-failure'])
        .default('event'),
    )
    .option(
      '--strict',
      'legacy forms, unknown fields, integers beyond 2^53 and records keys that do not match their records fail the file',
    )
    .option(
      '--envelope-only',
      'check the event only, not the keys and values of the topics msk-codegen.config.json declares',
    )
    .option('--max-issues <n>', 'list at most n findings per file; the rest are counted', parseCount, 100)
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .option('--schema <file>', 'event schema (default: from msk-codegen.config.json, else the embedded schema)')
    .option('-c, --config <file>', 'config file (default: ./msk-codegen.config.json if present)')
    .action(async (inputs: string[], flags: ValidateFlags) => {
      exitCode = await validateCommand(inputs, flags, io);
    });

  program
    .command('init')
    .description(
      'set up a project: msk-codegen.config.json, schema/ (the event schema and an example payload schema), package.json scripts and devDependencies, tsconfig.json, .gitattributes',
    )
    .action(async () => {
      exitCode = await initCommand(io);
    });

  const collect = (value: string, previous: string[]) => [...previous, value];
  program
    .command('sample')
    .description('print a valid Kafka event (or with --response a batch response), like sam local generate-event')
    .addOption(new Option('--source <source>', 'which event').choices(['msk', 'self-managed']).default('msk'))
    .option(
      '--topic <name>',
      'a topic (repeatable; default: the first topic msk-codegen.config.json declares, else mytopic)',
      collect,
      [],
    )
    .option('--partitions <n>', 'partitions per topic', parseCount, 1)
    .option('--records <n>', 'records per partition', parseCount, 1)
    .option('--key <text>', "every record's key (UTF-8 text; base64-encoded for you)")
    .option('--value <text>', "every record's value, as UTF-8 text")
    .option('--value-json <json>', "every record's value, as JSON text")
    .option('--value-file <path>', "every record's value, the file's bytes")
    .option('--header <name=value>', 'a header (repeatable), encoded as Lambda does: signed UTF-8 bytes', collect, [])
    .option('--tombstone', 'records with a null value')
    .option(
      '--invalid-value',
      "values that break their topic's payload schema (msk-codegen.config.json), to test the rejection path",
    )
    .option(
      '--schema-metadata <format[:id]>',
      'schema-registry metadata: AVRO, JSON or PROTOBUF, with a numeric or UUID schema id',
    )
    .option(
      '--framing <framing>',
      "Avro and Protobuf keys and values: confluent, glue or none (default: the topic's framing; for auto, confluent)",
    )
    .option(
      '--record-format <format>',
      'source: Avro and Protobuf as a mapping with a schema registry delivers them (header removed, schema metadata set)',
    )
    .option('--seed <n>', 'seed for offsets, timestamps and ids: the same seed prints the same event', parseCount, 1)
    .option(
      '--legacy',
      "the reference page's historical forms (partition as a string, base64 header values), to test tolerant consumers",
    )
    .option('--response', 'print a KafkaBatchResponse instead, for the --failure records')
    .addOption(
      new Option(
        '--on-failure <destination>',
        'print the record an on-failure destination receives when the mapping discards this event instead',
      ).choices(['sqs', 'sns', 's3', 'kafka-topic']),
    )
    .option(
      '--failure <topic-partition:offset>',
      'a failed record for --response (repeatable), e.g. mytopic-0:15',
      collect,
      [],
    )
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option(
      '--schema <file>',
      'event schema to check against (default: from msk-codegen.config.json, else the embedded schema)',
    )
    .option('-c, --config <file>', 'config file (default: ./msk-codegen.config.json if present)')
    .action(async (flags: SampleFlags) => {
      exitCode = await sampleCommand(flags, io);
    });

  program
    .command('invoke')
    .description(
      'run a handler as Lambda would on Kafka events (bundled with esbuild, in a fresh process) and say what the event source mapping would commit or retry; exit 1 if any record would be retried',
    )
    .argument('<handler>', 'the handler file, optionally #export (default: handler), e.g. handlers/orders.ts#handler')
    .option('--event <file>', 'an event file (repeatable; globs; - for standard input)', collect, [])
    .option(
      '--sample',
      'invoke with an event `sample` makes instead (with --topic, --records, --partitions, --seed, --invalid-value)',
    )
    .option('--topic <name>', 'with --sample: a topic (repeatable)', collect, [])
    .option('--partitions <n>', 'with --sample: partitions per topic', parseCount, 1)
    .option('--records <n>', 'with --sample: records per partition', parseCount, 1)
    .option('--seed <n>', 'with --sample: the seed', parseCount, 1)
    .option('--invalid-value', "with --sample: values that break their topic's payload schema")
    .option(
      '--timeout <seconds>',
      'the function timeout (at most 840: a Kafka mapping allows 14 minutes)',
      parseCount,
      60,
    )
    .option('--memory <mb>', 'the function memory, MB (caps the heap)', parseCount, 1024)
    .option('--batch-size <n>', "the mapping's batch size, to check the event against", parseCount, 100)
    .option(
      '--partial-batch',
      "the mapping reports batch item failures (default: as the handler's @msk-codegen line says)",
    )
    .option('--no-partial-batch', 'the mapping does not report batch item failures')
    .option('--env-file <file>', 'environment variables of the function (NAME=value lines)')
    .option('--function-name <name>', 'the function name in the context (default: the handler file name)')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .option('-c, --config <file>', 'config file (default: ./msk-codegen.config.json if present)')
    .action(async (handler: string, flags: InvokeFlags) => {
      exitCode = await invokeCommand(handler, flags, io);
    });

  program
    .command('replay')
    .description(
      'feed recorded records through a handler as an event source mapping would over time (batches, partial batch responses, retries, bisecting, record age); exit 1 if records would be discarded',
    )
    .argument('<handler>', 'the handler file, optionally #export (default: handler)')
    .requiredOption('--records <path>', 'a folder of event files, an event file, or a .jsonl file of records')
    .option('--batch-size <n>', "the mapping's batch size", parseCount, 100)
    .option('--maximum-retry-attempts <n>', '-1 (until it succeeds, the default) or 0 to 10000', parseRetries, -1)
    .option('--bisect-batch-on-function-error', 'split a failing batch in two and retry each half')
    .option('--maximum-record-age <seconds>', '-1 (no limit, the default) or 60 to 604800', parseRetries, -1)
    .option(
      '--partial-batch',
      "the mapping reports batch item failures (default: as the handler's @msk-codegen line says)",
    )
    .option('--no-partial-batch', 'the mapping does not report batch item failures')
    .option('--timeout <seconds>', 'the function timeout (at most 840)', parseCount, 60)
    .option('--memory <mb>', 'the function memory, MB', parseCount, 1024)
    .option(
      '--max-invocations <n>',
      'stop after this many invocations (infinite retries of a failing batch never end)',
      parseCount,
      10_000,
    )
    .option(
      '--on-failure-dir <folder>',
      'write the discarded batches there, as Lambda sends them to an S3 on-failure destination',
    )
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action(async (handler: string, flags: ReplayFlags) => {
      exitCode = await replayCliCommand(handler, flags, io);
    });

  // Which command commander refused: each one's exit callback records it before throwing.
  for (const command of program.commands) {
    command.exitOverride((error) => {
      refusedBy = command.name();
      throw error;
    });
  }

  try {
    if (argv.length === 0) {
      commanderErr(program.helpInformation());
      return ExitCode.error;
    }
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.ok; // --help, --version
      // No command given (`msk-codegen --quiet`): commander has printed the help to stderr.
      if (error.code !== 'commander.help') commanderErr(usageError(error, refusedBy));
      return ExitCode.error;
    }
    (io.errors ?? commanderErr)(internalError(error, given));
    return ExitCode.error;
  }
  return exitCode;
}

/**
 * A usage error commander found (unknown option, missing argument, ...), in the form of
 * every other msk-codegen error: `msk-codegen: error E_USAGE: <what> (run "msk-codegen
 * <command> --help")`. Commander's "(Did you mean --check?)" is kept, in the sentence.
 */
function usageError(error: CommanderError, command: string | undefined): string {
  const [first = '', ...more] = error.message.replace(/^error: /, '').split('\n');
  const suggestion = more
    .map((line) => line.trim().replace(/^\((.*)\)$/, '$1'))
    .filter((line) => line !== '')
    .join(' ');
  const what =
    suggestion === ''
      ? first
      : `${first.replace(/\.$/, '')}; ${suggestion.charAt(0).toLowerCase()}${suggestion.slice(1)}`;
  return `msk-codegen: error ${DiagnosticCodes.usage}: ${what} (run "msk-codegen${command ? ` ${command}` : ''} --help")\n`;
}

/** Commander's option description, without a default that says nothing (`(default: [])` of a repeatable option). */
function describeOption(this: Help, option: Option): string {
  const empty = Array.isArray(option.defaultValue) && option.defaultValue.length === 0;
  return Help.prototype.optionDescription.call(
    this,
    empty ? Object.assign(Object.create(option) as Option, { defaultValue: undefined }) : option,
  );
}

async function generateCommand(flags: GenerateFlags, io: CliIo): Promise<number> {
  // Loaded per command: json-schema-to-typescript, Ajv and TypeScript are slow to load, and --help needs none of them.
  const { assertSafeOutDir, checkGeneratedFiles, generate, projectGuardOf, resolveConfig, writeGeneratedFiles } =
    await import('./index.js');
  const { EMBEDDED_SCHEMA_DISPLAY } = await import('./core/config.js');
  const errors = io.errors ?? io.stderr;
  const overrides = { cwd: io.cwd, ...definedOnly({ config: flags.config, schema: flags.schema, out: flags.out }) };
  if (flags.watch) {
    if (flags.check) {
      errors(`msk-codegen: error ${DiagnosticCodes.usage}: --watch and --check do not go together\n`);
      return ExitCode.error;
    }
    // An unsafe --out is refused up front: no edit the watcher could see would fix a flag.
    // (A config that cannot be read yet is the watcher's to report, and to wait for a fix.)
    const refused = await withDiagnostics(io, { writes: true }, async () => {
      const config = await resolveConfig(overrides).catch((error: unknown) => {
        if (error instanceof CodegenError) return undefined;
        throw error;
      });
      if (config) await assertSafeOutDir(config.out, projectGuardOf(config));
      return ExitCode.ok;
    });
    if (refused !== ExitCode.ok) return refused;
    const { watchGenerate } = await import('./commands/watch.js');
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    // The watcher's stderr carries the diagnostics of a broken input: errors, kept under --quiet.
    await watchGenerate({ overrides, stdout: io.stdout, stderr: errors, signal: io.signal ?? stop.signal });
    return ExitCode.ok;
  }
  return withDiagnostics(io, { writes: true }, async () => {
    const config = await resolveConfig(overrides);
    // Refused before generating: a wrong --out should not wait for a slow generation to be reported.
    const project = projectGuardOf(config);
    await assertSafeOutDir(config.out, project);
    // The resolved config as it is: the API (`generate(await resolveConfig())`) writes the same bytes.
    const files = await generate(config);
    const outDisplay = relativeToCwd(config.out, io.cwd);
    // Messages name the schema from here; banners from the config file's folder (config.schemaDisplay).
    const schemaShown =
      config.schemaDisplay === EMBEDDED_SCHEMA_DISPLAY ? EMBEDDED_SCHEMA_DISPLAY : relativeToCwd(config.schema, io.cwd);
    const options = { project, lock: { onWait: io.stderr } };
    if (flags.check) {
      const report = await checkGeneratedFiles(config.out, files, options);
      if (report.ok) {
        io.stdout(`msk-codegen: ${outDisplay}/ is up to date (${files.length} files)\n`);
        return ExitCode.ok;
      }
      const lines: string[] = [`msk-codegen: ${outDisplay}/ is out of date with ${schemaShown}:`];
      for (const file of report.missing) lines.push(`  missing: ${outDisplay}/${file}`);
      for (const file of report.extra) lines.push(`  extra:   ${outDisplay}/${file} (no longer generated)`);
      for (const file of report.stale)
        lines.push(`  stale:   ${outDisplay}/${file.path}`, ...file.diff.split('\n').map((l) => `    ${l}`));
      for (const file of report.leftovers ?? [])
        lines.push(
          `  leftover: ${outDisplay}/${file} (left by an interrupted generate; running generate cleans it up)`,
        );
      // The exact command, flags included; the banners say `npx msk-codegen generate`, whatever the flags.
      lines.push(`Run \`${config.regenerateCommand}\` to update it.`);
      errors(`${lines.join('\n')}\n`);
      return ExitCode.checkFailed;
    }
    const report = await writeGeneratedFiles(config.out, files, options);
    const summary = [
      `${report.written.length} written`,
      `${report.unchanged.length} unchanged`,
      ...(report.removed.length > 0 ? [`${report.removed.length} removed`] : []),
    ];
    io.stdout(`msk-codegen: ${outDisplay}/ from ${schemaShown}: ${summary.join(', ')}\n`);
    for (const file of report.written) io.stdout(`  wrote   ${outDisplay}/${file}\n`);
    for (const file of report.removed) io.stdout(`  removed ${outDisplay}/${file}\n`);
    for (const file of report.cleanedUp) io.stdout(`  cleaned ${outDisplay}/${file} (left by an interrupted run)\n`);
    return ExitCode.ok;
  });
}

async function initCommand(io: CliIo): Promise<number> {
  const { init } = await import('./commands/init.js');
  return withDiagnostics(io, { writes: true }, async () => {
    const result = await init({ cwd: io.cwd });
    for (const file of result.written) io.stdout(`  wrote   ${file}\n`);
    for (const file of result.updated) {
      const what =
        file === 'package.json'
          ? [
              ...(result.added.scripts.length > 0
                ? [`scripts ${result.added.scripts.map((name) => `"${name}"`).join(', ')}`]
                : []),
              ...(result.added.devDependencies.length > 0
                ? [`devDependencies ${result.added.devDependencies.join(', ')}`]
                : []),
            ].join('; ')
          : 'generated/ marked as generated';
      io.stdout(`  updated ${file} (${what})\n`);
    }
    for (const sentence of result.kept) io.stdout(`  kept    ${sentence}\n`);
    for (const note of result.notes) io.stdout(`  note    ${note}\n`);
    io.stdout(
      `msk-codegen: initialized. Topic "orders" carries JSON values typed by schema/order.schema.json. Next:\n${result.next.map((command) => `  ${command}`).join('\n')}\n`,
    );
    return ExitCode.ok;
  });
}

/** A whole number for a count flag; anything else is a usage error naming the flag's value. */
function parseCount(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

interface SampleFlags {
  source: 'msk' | 'self-managed';
  topic: string[];
  partitions: number;
  records: number;
  key?: string;
  value?: string;
  valueJson?: string;
  valueFile?: string;
  header: string[];
  tombstone?: boolean;
  schemaMetadata?: string;
  seed: number;
  legacy?: boolean;
  response?: boolean;
  failure: string[];
  invalidValue?: boolean;
  framing?: string;
  recordFormat?: string;
  onFailure?: string;
  out?: string;
  schema?: string;
  config?: string;
}

async function sampleCommand(flags: SampleFlags, io: CliIo): Promise<number> {
  const { sampleFromRequest } = await import('./commands/sample/index.js');
  const { formatJson } = await import('./core/json-format.js');
  const { writeOutputFile } = await import('./output/single-file.js');
  return withDiagnostics(io, { writes: false }, async () => {
    const { out, ...request } = flags;
    const text = `${formatJson(await sampleFromRequest({ cwd: io.cwd, ...request }))}\n`;
    if (out === undefined) io.stdout(text);
    else {
      // Never reads the target; refuses devices, pipes and directories; writes through a symbolic link.
      const target = path.resolve(io.cwd, out);
      const { written } = await writeOutputFile(target, text, { display: out });
      const shown = (file: string) => relativeToCwd(file, io.cwd);
      io.stderr(
        `msk-codegen: wrote ${shown(target)}${written !== target ? ` (the symbolic link's target, ${shown(written)})` : ''}\n`,
      );
    }
    return ExitCode.ok;
  });
}

interface ValidateFlags {
  kind: 'event' | 'response' | 'on-failure';
  strict?: boolean;
  envelopeOnly?: boolean;
  maxIssues: number;
  format: 'text' | 'json';
  schema?: string;
  config?: string;
}

async function validateCommand(inputs: string[], flags: ValidateFlags, io: CliIo): Promise<number> {
  const { validateFiles } = await import('./commands/validate/index.js');
  const { exitCodeOf, formatAnnotations, formatJson, formatText } = await import('./commands/validate/report.js');
  return withDiagnostics(io, { writes: false }, async () => {
    const report = await validateFiles({
      cwd: io.cwd,
      inputs,
      kind: flags.kind,
      strict: flags.strict ?? false,
      envelopeOnly: flags.envelopeOnly ?? false,
      maxIssues: flags.maxIssues,
      ...definedOnly({ schema: flags.schema, config: flags.config }),
      ...(io.readStdin ? { readStdin: io.readStdin } : {}),
    });
    io.stdout(flags.format === 'json' ? formatJson(report) : formatText(report, { errorsOnly: io.level === 'quiet' }));
    if (io.env?.['GITHUB_ACTIONS'] === 'true') io.stdout(formatAnnotations(report));
    return exitCodeOf(report);
  });
}

interface ReplayFlags {
  records: string;
  batchSize: number;
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError?: boolean;
  maximumRecordAge: number;
  partialBatch?: boolean;
  timeout: number;
  memory: number;
  maxInvocations: number;
  onFailureDir?: string;
  format: 'text' | 'json';
}

async function replayCliCommand(handler: string, flags: ReplayFlags, io: CliIo): Promise<number> {
  const { formatReplayText, replayCommand, replayExitCode } = await import('./commands/replay/index.js');
  return withDiagnostics(io, { writes: flags.onFailureDir !== undefined }, async () => {
    const report = await replayCommand({
      cwd: io.cwd,
      handler,
      records: flags.records,
      batchSize: flags.batchSize,
      maximumRetryAttempts: flags.maximumRetryAttempts,
      bisectBatchOnFunctionError: flags.bisectBatchOnFunctionError ?? false,
      maximumRecordAgeSeconds: flags.maximumRecordAge,
      timeoutSeconds: flags.timeout,
      memoryMb: flags.memory,
      maxInvocations: flags.maxInvocations,
      ...definedOnly({ partialBatch: flags.partialBatch, onFailureDir: flags.onFailureDir }),
      onLog: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(
      flags.format === 'json'
        ? `${JSON.stringify({ ...report, handler: path.relative(io.cwd, report.handler) }, null, 2)}\n`
        : formatReplayText(report, io.cwd),
    );
    return replayExitCode(report);
  });
}

/** -1 or a whole number. */
function parseRetries(value: string): number {
  if (value === '-1') return -1;
  return parseCount(value);
}

interface InvokeFlags {
  event: string[];
  sample?: boolean;
  topic: string[];
  partitions: number;
  records: number;
  seed: number;
  invalidValue?: boolean;
  timeout: number;
  memory: number;
  batchSize: number;
  partialBatch?: boolean;
  envFile?: string;
  functionName?: string;
  format: 'text' | 'json';
  config?: string;
}

async function invokeCommand(handler: string, flags: InvokeFlags, io: CliIo): Promise<number> {
  const { invoke, invokeExitCode } = await import('./commands/invoke/index.js');
  const { formatInvokeJson, formatInvokeText } = await import('./commands/invoke/report.js');
  return withDiagnostics(io, { writes: false }, async () => {
    if (flags.sample && flags.event.length > 0) throw usageProblem('give --event or --sample, not both');
    const sample = flags.sample
      ? async () => {
          const { sampleFromRequest } = await import('./commands/sample/index.js');
          return sampleFromRequest({
            cwd: io.cwd,
            source: 'msk',
            topic: flags.topic,
            partitions: flags.partitions,
            records: flags.records,
            header: [],
            seed: flags.seed,
            failure: [],
            ...definedOnly({ invalidValue: flags.invalidValue, config: flags.config }),
          });
        }
      : undefined;
    const report = await invoke({
      cwd: io.cwd,
      handler,
      events: flags.event,
      ...(sample ? { sample } : {}),
      ...(io.readStdin ? { readStdin: io.readStdin } : {}),
      timeoutSeconds: flags.timeout,
      memoryMb: flags.memory,
      batchSize: flags.batchSize,
      ...definedOnly({
        partialBatch: flags.partialBatch,
        envFile: flags.envFile,
        functionName: flags.functionName,
        config: flags.config,
      }),
      // The handler's logs go to stderr, as they happen; the report to stdout.
      onLog: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(flags.format === 'json' ? formatInvokeJson(report, io.cwd) : formatInvokeText(report, io.cwd));
    return invokeExitCode(report);
  });
}

function usageProblem(message: string): CodegenError {
  return new CodegenError([{ code: DiagnosticCodes.usage, message }]);
}

interface ScaffoldFlags {
  source?: Source;
  topic?: string;
  test?: 'vitest' | 'node' | 'none';
  partialBatch?: boolean;
  dir: string;
  templates?: string;
  force?: boolean;
  update?: boolean;
  config?: string;
}

async function scaffoldCommand(name: string, flags: ScaffoldFlags, io: CliIo): Promise<number> {
  const { scaffold } = await import('./commands/scaffold/index.js');
  return withDiagnostics(io, { writes: true }, async () => {
    const started = performance.now();
    if (io.progress) io.stderr(`msk-codegen: type-checking ${path.join(flags.dir, `${name}.ts`)}…\n`);
    const result = await scaffold({ cwd: io.cwd, name, ...definedOnly({ ...flags }) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.written.length === 0) {
      const checked =
        result.test === 'none'
          ? `${result.dir}/${name}.ts is up to date and type-checks`
          : `${result.dir}/${name}.ts and ${result.dir}/${name}.test.ts are up to date and type-check`;
      io.stdout(`msk-codegen: ${checked}\n`);
    }
    for (const file of result.written) io.stdout(`  wrote ${result.dir}/${file}\n`);
    if (!flags.update && result.written.length > 0) {
      const then =
        result.testCommand === undefined
          ? ' (no test: --test none)'
          : `, then ${result.test === 'node' ? 'compile and run its test (Node runs JavaScript)' : 'run its test'}: \`${result.testCommand}\``;
      io.stdout(
        `msk-codegen: scaffolded ${result.dir}/${name}.ts (type-checked in ${seconds} s). Next: write your logic in ${flags.topic ? 'its process function' : 'processRecord()'}${then}.\n`,
      );
    }
    return ExitCode.ok;
  });
}

/**
 * Runs a command; bad input (CodegenError) becomes its diagnostics on stderr and exit 2.
 * Anything else is a bug, reported by runCli as an internal error.
 */
async function withDiagnostics(
  io: CliIo,
  { writes }: { writes: boolean },
  action: () => Promise<number>,
): Promise<number> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    // Errors: still printed under --quiet.
    const errors = io.errors ?? io.stderr;
    errors(`${error.diagnostics.map((d) => formatDiagnostic(d, io.cwd)).join('\n')}\n`);
    // True in every case: a write whose rollback failed says which files it left changed.
    const changed = error instanceof OutputWriteError ? error.changedFiles : [];
    if (writes && changed.length === 0) errors('msk-codegen: nothing was written.\n');
    if (writes && changed.length > 0) errors(`msk-codegen: ${changed.length} file(s) were left changed (see above).\n`);
    return ExitCode.error;
  }
}

/**
 * A bug, not bad input: one line and a request to report it; the stack trace only with
 * MSK_CODEGEN_DEBUG=1 (a stack is noise to a user, and needed by whoever fixes the bug).
 */
function internalError(error: unknown, io: CliIo): string {
  const message = error instanceof Error ? error.message : String(error);
  const debug = io.env?.['MSK_CODEGEN_DEBUG'] === '1';
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  const hint = debug ? '' : ' (set MSK_CODEGEN_DEBUG=1 to include the stack trace)';
  return `msk-codegen: internal error: ${message.split('\n')[0]}\nThis is a bug in msk-codegen, not in your input: please report it with the command you ran${hint}.${stack}\n`;
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
