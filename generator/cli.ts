/**
 * The command line: parses arguments, calls the API, prints, and returns an exit code
 * (0 ok, 1 check failed, 2 usage, bad input or internal error). Never calls process.exit.
 */
import { Command, CommanderError, Option } from 'commander';
import * as path from 'node:path';
import { CodegenError, formatDiagnostic } from './diagnostics.js';
import { PACKAGE_VERSION } from './package-root.js';
import { SOURCES, type Source } from './scaffold/render.js';

export const ExitCode = { ok: 0, checkFailed: 1, error: 2 } as const;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

interface GenerateFlags {
  schema?: string;
  out?: string;
  config?: string;
  check?: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('msk-codegen')
    .description('Types, precompiled validators and a parse API for the Kafka events AWS Lambda delivers, from one JSON Schema.')
    .version(PACKAGE_VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run "msk-codegen --help" for usage)');

  program
    .command('generate')
    .description('generate types, validators and the parse API from the event schema')
    .option('--schema <file>', 'event schema (default: from msk-codegen.config.json, else the embedded schema)')
    .option('--out <dir>', 'output directory (default: from msk-codegen.config.json, else ./generated)')
    .option('--config <file>', 'config file (default: ./msk-codegen.config.json if present)')
    .option('--check', 'write nothing; exit 1 and show a short diff if the output directory is not up to date')
    .action(async (flags: GenerateFlags) => {
      exitCode = await generateCommand(flags, io);
    });

  program
    .command('scaffold')
    .description('create a Kafka handler and its test (handlers/<name>.ts), type-checked against the generated API')
    .argument('<name>', 'handler name: a letter, then letters, digits, "-" or "_" (e.g. orders)')
    .addOption(new Option('--source <source>', 'which events the handler takes').choices([...SOURCES]))
    .option('--partial-batch', 'return the failed records (ReportBatchItemFailures) instead of failing the whole batch')
    .option('--dir <dir>', 'where handlers go', 'handlers')
    .option('--templates <dir>', 'your own handler.ts.hbs and handler.test.ts.hbs (same variables as the built-in ones)')
    .option('--force', 'overwrite an existing handler and test')
    .option('--update', "re-apply the template's imports and types to an existing handler, keeping your code")
    .option('--config <file>', 'config file (default: ./msk-codegen.config.json if present): says where generated/ is')
    .action(async (name: string, flags: ScaffoldFlags) => {
      exitCode = await scaffoldCommand(name, flags, io);
    });

  try {
    if (argv.length === 0) {
      io.stderr(program.helpInformation());
      return ExitCode.error;
    }
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.error;
    }
    io.stderr(`msk-codegen: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.error;
  }
  return exitCode;
}

async function generateCommand(flags: GenerateFlags, io: CliIo): Promise<number> {
  // Loaded per command: json-schema-to-typescript, Ajv and TypeScript are slow to load, and --help needs none of them.
  const { checkGeneratedFiles, generate, resolveConfig, writeGeneratedFiles } = await import('./index.js');
  try {
    const config = await resolveConfig({ cwd: io.cwd, ...definedOnly({ config: flags.config, schema: flags.schema, out: flags.out }) });
    const files = await generate({ schema: config.schema, schemaDisplay: config.schemaDisplay, regenerateCommand: config.regenerateCommand });
    const outDisplay = path.relative(io.cwd, config.out) || '.';
    if (flags.check) {
      const report = await checkGeneratedFiles(config.out, files);
      if (report.ok) {
        io.stdout(`msk-codegen: ${outDisplay}/ is up to date (${files.length} files)\n`);
        return ExitCode.ok;
      }
      const lines: string[] = [`msk-codegen: ${outDisplay}/ is out of date with ${config.schemaDisplay}:`];
      for (const file of report.missing) lines.push(`  missing: ${outDisplay}/${file}`);
      for (const file of report.extra) lines.push(`  extra:   ${outDisplay}/${file} (no longer generated)`);
      for (const file of report.stale) lines.push(`  stale:   ${outDisplay}/${file.path}`, ...file.diff.split('\n').map((l) => `    ${l}`));
      lines.push(`Run \`${config.regenerateCommand}\` to update it.`);
      io.stderr(`${lines.join('\n')}\n`);
      return ExitCode.checkFailed;
    }
    const report = await writeGeneratedFiles(config.out, files);
    const summary = [`${report.written.length} written`, `${report.unchanged.length} unchanged`, ...(report.removed.length > 0 ? [`${report.removed.length} removed`] : [])];
    io.stdout(`msk-codegen: ${outDisplay}/ from ${config.schemaDisplay}: ${summary.join(', ')}\n`);
    for (const file of report.written) io.stdout(`  wrote   ${outDisplay}/${file}\n`);
    for (const file of report.removed) io.stdout(`  removed ${outDisplay}/${file}\n`);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CodegenError) {
      io.stderr(`${error.diagnostics.map((d) => formatDiagnostic(d, io.cwd)).join('\n')}\n`);
      io.stderr('msk-codegen: nothing was written.\n');
      return ExitCode.error;
    }
    throw error;
  }
}

interface ScaffoldFlags {
  source?: Source;
  partialBatch?: boolean;
  dir: string;
  templates?: string;
  force?: boolean;
  update?: boolean;
  config?: string;
}

async function scaffoldCommand(name: string, flags: ScaffoldFlags, io: CliIo): Promise<number> {
  const { scaffold } = await import('./scaffold/index.js');
  try {
    const started = performance.now();
    const result = await scaffold({ cwd: io.cwd, name, ...definedOnly({ ...flags }) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.written.length === 0) io.stdout(`msk-codegen: ${result.dir}/${name}.ts is up to date\n`);
    for (const file of result.written) io.stdout(`  wrote ${result.dir}/${file}\n`);
    if (!flags.update && result.written.length > 0) {
      io.stdout(`msk-codegen: scaffolded ${result.dir}/${name}.ts (type-checked in ${seconds} s). Next: write your logic in processRecord(), then run \`npx vitest run ${result.dir}/${name}.test.ts\`.\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CodegenError) {
      io.stderr(`${error.diagnostics.map((d) => formatDiagnostic(d, io.cwd)).join('\n')}\n`);
      io.stderr('msk-codegen: nothing was written.\n');
      return ExitCode.error;
    }
    throw error;
  }
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
