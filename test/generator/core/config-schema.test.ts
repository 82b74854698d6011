/**
 * schema/config.schema.json, the JSON Schema editors use for msk-codegen.config.json (init
 * points `$schema` at it): valid JSON Schema 2020-12 that documents every setting; the config
 * init writes and every config in the README and in the tests follow it; and it agrees with
 * config.ts's own checks on every one of those and on a table of good and bad configs.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, resolveConfig } from '../../../generator/core/config.js';
import { CodegenError } from '../../../generator/core/diagnostics.js';
import { CONFIG_SCHEMA_REF, INIT_CONFIG, init } from '../../../generator/commands/init.js';
import { REPO_ROOT, tempDir } from '../../helpers.js';

const SCHEMA_FILE = path.join(REPO_ROOT, 'schema', 'config.schema.json');
const CONFIG_KEYS = new Set(['$schema', 'schema', 'out', 'topics', 'unknownTopics']);

async function configSchema(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

async function compileSchema() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(await configSchema());
}

/** What config.ts says of `config`: accepted, or the codes of its diagnostics. */
async function configTsVerdict(config: unknown): Promise<{ valid: boolean; codes: string[] }> {
  const cwd = await tempDir('msk-codegen-config-schema-');
  await writeFile(path.join(cwd, CONFIG_FILE_NAME), JSON.stringify(config, null, 2));
  try {
    await resolveConfig({ cwd });
    return { valid: true, codes: [] };
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error;
    return { valid: false, codes: error.diagnostics.map((d) => d.code) };
  }
}

describe('schema/config.schema.json', () => {
  it('is JSON Schema 2020-12 that Ajv compiles in strict mode, with a description on every setting', async () => {
    const schema = await configSchema();
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ strict: true });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    await compileSchema();
    const undescribed: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
      for (const [name, sub] of Object.entries(properties)) {
        if (typeof (sub as { description?: unknown }).description !== 'string') undescribed.push(`${at}/${name}`);
        walk(sub, `${at}/${name}`);
      }
      for (const [name, def] of Object.entries((node as { $defs?: Record<string, unknown> }).$defs ?? {}))
        walk(def, `${at}/$defs/${name}`);
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
    expect(Object.keys((schema['properties'] ?? {}) as object).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('is in the package ("files" ships schema/), where the $schema init writes points', async () => {
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain('schema');
    expect(CONFIG_SCHEMA_REF).toBe('./node_modules/msk-codegen/schema/config.schema.json');
    expect(
      path.posix.join('node_modules', 'msk-codegen', path.relative(REPO_ROOT, SCHEMA_FILE).split(path.sep).join('/')),
    ).toBe(CONFIG_SCHEMA_REF.slice(2));
  });

  it('accepts the config init writes, which starts with the $schema', async () => {
    const cwd = await tempDir();
    await init({ cwd });
    const written = JSON.parse(await readFile(path.join(cwd, CONFIG_FILE_NAME), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(written)[0]).toBe('$schema');
    expect(written['$schema']).toBe(CONFIG_SCHEMA_REF);
    expect(written).toEqual(INIT_CONFIG);
    const validate = await compileSchema();
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    expect(await configTsVerdict(written)).toEqual({ valid: true, codes: [] });
  });

  it('accepts every config in the README', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const configs = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => {
        try {
          return JSON.parse(m[1] ?? '') as unknown;
        } catch {
          return undefined;
        }
      })
      .filter((value): value is Record<string, unknown> => looksLikeConfig(value));
    expect(configs.length).toBeGreaterThanOrEqual(1);
    const validate = await compileSchema();
    for (const config of configs) {
      expect(validate(config), `${JSON.stringify(config)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect((await configTsVerdict(config)).valid).toBe(true);
    }
  });

  it('agrees with config.ts on every config the tests write (found in their source), good and bad', async () => {
    const candidates = await configsInTests();
    // A sanity check on the search itself: it finds the tests' configs, good ones and bad ones.
    expect(candidates.length).toBeGreaterThanOrEqual(10);
    const validate = await compileSchema();
    const verdicts: { config: string; schema: boolean; configTs: boolean }[] = [];
    for (const config of candidates)
      verdicts.push({
        config: JSON.stringify(config),
        schema: validate(config) as boolean,
        configTs: (await configTsVerdict(config)).valid,
      });
    expect(verdicts.filter((v) => v.schema !== v.configTs)).toEqual([]);
    expect(verdicts.some((v) => v.schema)).toBe(true);
    expect(verdicts.some((v) => !v.schema)).toBe(true);
  }, 60_000);

  it.each([
    { name: 'an empty config', config: {}, valid: true },
    { name: 'schema and out', config: { schema: 'schema/event.schema.json', out: 'src/generated' }, valid: true },
    { name: 'with $schema', config: { $schema: CONFIG_SCHEMA_REF, out: 'generated' }, valid: true },
    {
      name: 'a json value with its schema, a string key',
      config: { topics: { orders: { key: { format: 'string' }, value: { format: 'json', schema: 'o.json' } } } },
      valid: true,
    },
    {
      name: 'a pattern topic, bytes, unknownTopics bytes',
      config: { topics: { 'audit-*': { value: { format: 'bytes' } }, 'a.b_c-1': {} }, unknownTopics: 'bytes' },
      valid: true,
    },
    { name: 'a topic of 249 characters', config: { topics: { ['t'.repeat(249)]: {} } }, valid: true },
    { name: 'not an object', config: [], valid: false },
    { name: 'a string', config: 'generated', valid: false },
    { name: 'an unknown setting', config: { output: 'generated' }, valid: false },
    { name: 'an empty out', config: { out: '' }, valid: false },
    { name: 'a number as schema', config: { schema: 1 }, valid: false },
    { name: 'a $schema that is not a string', config: { $schema: true }, valid: false },
    { name: 'topics as an array', config: { topics: [] }, valid: false },
    { name: 'a topic with a space', config: { topics: { 'orders and more': {} } }, valid: false },
    { name: 'a topic of 250 characters', config: { topics: { ['t'.repeat(250)]: {} } }, valid: false },
    { name: 'an empty topic', config: { topics: { '': {} } }, valid: false },
    { name: 'a topic that is not an object', config: { topics: { orders: 'json' } }, valid: false },
    { name: 'an unknown side', config: { topics: { orders: { headers: { format: 'string' } } } }, valid: false },
    { name: 'an unknown format', config: { topics: { orders: { value: { format: 'avro' } } } }, valid: false },
    {
      name: 'a payload without a format',
      config: { topics: { orders: { value: { schema: 'o.json' } } } },
      valid: false,
    },
    { name: 'json without its schema', config: { topics: { orders: { value: { format: 'json' } } } }, valid: false },
    {
      name: 'avro with its schema, framing and longs',
      config: { topics: { orders: { value: { format: 'avro', schema: 'o.avsc', framing: 'glue', longs: 'bigint' } } } },
      valid: true,
    },
    {
      name: 'protobuf with its schema and message',
      config: { topics: { orders: { value: { format: 'protobuf', schema: 's.proto', message: 'shop.v1.Order' } } } },
      valid: true,
    },
    { name: 'avro without its schema', config: { topics: { orders: { value: { format: 'avro' } } } }, valid: false },
    {
      name: 'protobuf without its message',
      config: { topics: { orders: { value: { format: 'protobuf', schema: 's.proto' } } } },
      valid: false,
    },
    {
      name: 'a message on an avro payload',
      config: { topics: { orders: { value: { format: 'avro', schema: 'o.avsc', message: 'Order' } } } },
      valid: false,
    },
    {
      name: 'framing on a json payload',
      config: { topics: { orders: { value: { format: 'json', schema: 'o.json', framing: 'none' } } } },
      valid: false,
    },
    {
      name: 'longs on a string payload',
      config: { topics: { orders: { key: { format: 'string', longs: 'number' } } } },
      valid: false,
    },
    {
      name: 'an unknown framing',
      config: { topics: { orders: { value: { format: 'avro', schema: 'o.avsc', framing: 'apicurio' } } } },
      valid: false,
    },
    {
      name: 'a message name with a space',
      config: { topics: { orders: { value: { format: 'protobuf', schema: 's.proto', message: 'shop Order' } } } },
      valid: false,
    },
    {
      name: 'a schema on a string payload',
      config: { topics: { orders: { value: { format: 'string', schema: 'o.json' } } } },
      valid: false,
    },
    {
      name: 'an empty payload schema path',
      config: { topics: { orders: { value: { format: 'json', schema: '' } } } },
      valid: false,
    },
    {
      name: 'an unknown setting in a payload',
      config: { topics: { orders: { value: { format: 'bytes', encoding: 'utf8' } } } },
      valid: false,
    },
    { name: 'an unknown unknownTopics', config: { unknownTopics: 'ignore' }, valid: false },
  ])('$name: the schema and config.ts both say valid = $valid', async ({ config, valid }) => {
    const validate = await compileSchema();
    expect(validate(config), JSON.stringify(validate.errors)).toBe(valid);
    const verdict = await configTsVerdict(config);
    expect(verdict.valid).toBe(valid);
    if (!valid) expect(verdict.codes.every((code) => code === 'E_INVALID_CONFIG')).toBe(true);
  });
});

function looksLikeConfig(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every((k) => CONFIG_KEYS.has(k)) &&
    keys.some((k) => k === 'topics' || k === 'unknownTopics' || k === '$schema')
  );
}

// ---------------------------------------------------------------------------
// Finding the configs in the tests' source: object literals shaped like a config, and
// whatever is written to a file named msk-codegen.config.json, where the value is literal
// (strings, numbers, objects, arrays, consts of the same file, JSON.stringify of those).

class NotLiteral extends Error {}

function evaluator(file: ts.SourceFile) {
  const consts = new Map<string, ts.Expression>();
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const &&
      !consts.has(node.name.text)
    ) {
      consts.set(node.name.text, node.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  const resolving = new Set<string>();
  const evaluate = (node: ts.Expression): unknown => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (node.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
      return evaluate(node.expression);
    if (
      ts.isPrefixUnaryExpression(node) &&
      node.operator === ts.SyntaxKind.MinusToken &&
      ts.isNumericLiteral(node.operand)
    )
      return -Number(node.operand.text);
    if (ts.isArrayLiteralExpression(node))
      return node.elements.map((e) =>
        ts.isSpreadElement(e)
          ? (() => {
              throw new NotLiteral();
            })()
          : evaluate(e),
      );
    if (ts.isObjectLiteralExpression(node)) {
      const result: Record<string, unknown> = {};
      for (const property of node.properties) {
        if (ts.isPropertyAssignment(property)) {
          const name = ts.isComputedPropertyName(property.name)
            ? evaluate(property.name.expression)
            : ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) || ts.isNumericLiteral(property.name)
              ? property.name.text
              : undefined;
          if (typeof name !== 'string') throw new NotLiteral();
          result[name] = evaluate(property.initializer);
        } else if (ts.isShorthandPropertyAssignment(property)) result[property.name.text] = evaluate(property.name);
        else if (ts.isSpreadAssignment(property)) Object.assign(result, evaluate(property.expression));
        else throw new NotLiteral();
      }
      return result;
    }
    if (ts.isIdentifier(node)) {
      const init = consts.get(node.text);
      if (!init || resolving.has(node.text)) throw new NotLiteral();
      resolving.add(node.text);
      try {
        return evaluate(init);
      } finally {
        resolving.delete(node.text);
      }
    }
    if (ts.isCallExpression(node) && node.expression.getText(file) === 'JSON.stringify' && node.arguments[0])
      return JSON.stringify(evaluate(node.arguments[0]));
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'repeat' &&
      node.arguments[0]
    ) {
      const text = evaluate(node.expression.expression);
      const count = evaluate(node.arguments[0]);
      if (typeof text === 'string' && typeof count === 'number') return text.repeat(count);
    }
    throw new NotLiteral();
  };
  return (node: ts.Expression): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: evaluate(node) };
    } catch (error) {
      if (error instanceof NotLiteral || error instanceof TypeError) return { ok: false };
      throw error;
    }
  };
}

async function testSources(dir: string): Promise<string[]> {
  // Not this file: its table is checked on its own.
  return (await readdir(dir, { recursive: true }))
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f))
    .filter((f) => f !== fileURLToPath(import.meta.url));
}

async function configsInTests(): Promise<unknown[]> {
  const found = new Map<string, unknown>();
  const add = (value: unknown) => found.set(JSON.stringify(value), value);
  for (const fileName of await testSources(path.join(REPO_ROOT, 'test'))) {
    const file = ts.createSourceFile(fileName, await readFile(fileName, 'utf8'), ts.ScriptTarget.Latest, true);
    const evaluate = evaluator(file);
    const visit = (node: ts.Node) => {
      if (ts.isObjectLiteralExpression(node)) {
        const result = evaluate(node);
        if (result.ok && looksLikeConfig(result.value)) add(result.value);
      }
      // writeFile(path.join(dir, 'msk-codegen.config.json'), <config>), write('msk-codegen.config.json', <config>), ...
      if (ts.isCallExpression(node) && node.arguments.length >= 2) {
        const target = node.arguments[0]?.getText(file) ?? '';
        const last = node.arguments[node.arguments.length - 1] as ts.Expression;
        if (target.includes(CONFIG_FILE_NAME) || target.includes('CONFIG_FILE_NAME')) {
          const result = evaluate(last);
          if (result.ok) {
            if (typeof result.value !== 'string') add(result.value);
            else {
              try {
                add(JSON.parse(result.value));
              } catch {
                // Not JSON (a test of invalid JSON): not a config to compare.
              }
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return [...found.values()];
}
