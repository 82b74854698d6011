/**
 * Renders a handler and its test from the handlebars templates in templates/scaffold/
 * (or a user's own folder with the same file names and variables). Every value put
 * into code is a checked identifier or a JSON literal. The test is written for vitest or
 * for Node's built-in runner (node:test), and builds its events with generated/testing.ts.
 */
import Handlebars from 'handlebars';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { formatJson } from '../../core/json-format.js';
import { stringLiteral } from '../../emit/literal.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../../core/package-root.js';
import { compileTemplate, readTemplate } from '../../core/templates.js';
import type { HandlerName } from './names.js';
import type { TestRunner } from './runner.js';
import type { TopicScaffold } from './topic.js';

export { SOURCES, type Source } from './sources.js';
import type { Source } from './sources.js';

export const SCAFFOLD_TEMPLATES_DIR = path.join(TEMPLATES_DIR, 'scaffold');
export const HANDLER_TEMPLATE = 'handler.ts.hbs';
export const TEST_TEMPLATE = 'handler.test.ts.hbs';
/** With --topic: a handler of typed payloads. */
export const TOPIC_HANDLER_TEMPLATE = 'handler.topic.ts.hbs';
export const TOPIC_TEST_TEMPLATE = 'handler.topic.test.ts.hbs';
/** With --test node: the same tests for Node's built-in runner (node:test, node:assert/strict). */
export const NODE_TEST_TEMPLATE = 'handler.node.test.ts.hbs';
export const TOPIC_NODE_TEST_TEMPLATE = 'handler.topic.node.test.ts.hbs';

/** The test template for a runner, with or without --topic. */
export function testTemplateName(runner: Exclude<TestRunner, 'none'>, topic: boolean): string {
  if (runner === 'node') return topic ? TOPIC_NODE_TEST_TEMPLATE : NODE_TEST_TEMPLATE;
  return topic ? TOPIC_TEST_TEMPLATE : TEST_TEMPLATE;
}
const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'schema', 'examples');

export interface RenderInput {
  readonly handler: HandlerName;
  readonly source: Source;
  readonly partialBatch: boolean;
  /** The module specifier of the generated API, relative to the handler (`../generated/index.js`). */
  readonly generatedImport: string;
  /** The module specifier of the generated test helper (`../generated/testing.js`). */
  readonly testingImport: string;
  /** The runner the test is written for; `none`: no test. */
  readonly test: TestRunner;
  /** The command that runs the test, for its header comment. */
  readonly testCommand?: string | undefined;
  /** The `msk-codegen invoke` command that runs the handler on a sample event, for its header comment. */
  readonly invokeCommand?: string | undefined;
  readonly templatesDir: string;
  /** With --topic: the topic's types, and the typed values its test builds events from. */
  readonly topic?: TopicScaffold;
}

export interface Rendered {
  readonly handler: string;
  /** Undefined with --test none. */
  readonly test: string | undefined;
}

type Event = Record<string, unknown>;

const readExample = async (name: string): Promise<Event> =>
  JSON.parse(await readFile(path.join(EXAMPLES_DIR, name), 'utf8')) as Event;

/** The same event as a self-managed cluster sends it: other eventSource, no ARN. */
function asSelfManaged(event: Event): Event {
  const { eventSourceArn: _arn, ...rest } = event;
  return { ...rest, eventSource: 'SelfManagedKafka' };
}

/** The options a handler was scaffolded with, as the flags that reproduce them (recorded in its header). */
export function optionsLine(
  input: Pick<RenderInput, 'source' | 'partialBatch'> & {
    readonly topic?: { readonly name: string } | undefined;
    readonly test?: TestRunner | undefined;
  },
): string {
  return `--source ${input.source}${input.partialBatch ? ' --partial-batch' : ''}${input.topic ? ` --topic ${input.topic.name}` : ''}${input.test ? ` --test ${input.test}` : ''}`;
}

export async function renderScaffold(input: RenderInput): Promise<Rendered> {
  const documented = [await readExample('managed-kafka.json'), await readExample('another-managed-kafka.json')];
  const forSource = (event: Event) => (input.source === 'self-managed' ? asSelfManaged(event) : event);
  const { name } = input.handler;
  const sourceName = { msk: 'Amazon MSK', 'self-managed': 'self-managed Apache Kafka', any: 'Kafka' }[input.source];
  const data = {
    name,
    command: `msk-codegen scaffold ${name} ${optionsLine(input)}`,
    options: optionsLine(input),
    description: `Lambda handler for ${sourceName} events${input.topic ? ` of topic ${JSON.stringify(input.topic.name)}, with ${input.topic.valueType} values` : ''}${input.partialBatch ? ', reporting failed records (partial batch response)' : ''}.`,
    topic: input.topic,
    source: input.source,
    sourceName,
    partialBatch: input.partialBatch,
    eventType: { msk: 'MSKEvent', 'self-managed': 'SelfManagedKafkaEvent', any: 'KafkaEvent' }[input.source],
    eventSource: { msk: stringLiteral('aws:kafka'), 'self-managed': stringLiteral('SelfManagedKafka'), any: '' }[
      input.source
    ],
    generatedImport: stringLiteral(input.generatedImport),
    handlerImport: stringLiteral(`./${name}.js`),
    testingImport: stringLiteral(input.testingImport),
    testRunner: input.test,
    // In a comment: a path cannot end it.
    runCommand: (input.testCommand ?? '').replace(/\*\//g, '*\\/'),
    invokeCommand: (input.invokeCommand ?? '').replace(/\*\//g, '*\\/'),
    documentedExamples:
      input.source === 'any' ? [...documented, ...documented.map(asSelfManaged)] : documented.map(forSource),
    convertedExamples: input.source === 'self-managed',
    // kafkaEvent's option for the handler's own source ('msk', the default, for --source any).
    eventSourceOption: input.source === 'self-managed' ? `source: ${stringLiteral('self-managed')}, ` : '',
    otherSource:
      input.source === 'msk'
        ? stringLiteral('self-managed')
        : input.source === 'self-managed'
          ? stringLiteral('msk')
          : undefined,
    otherSourceName: input.source === 'msk' ? 'self-managed Apache Kafka' : 'Amazon MSK',
    expectedSuccess: input.partialBatch ? '{ batchItemFailures: [] }' : 'undefined',
  };
  return {
    handler: await renderFile(
      path.join(input.templatesDir, input.topic ? TOPIC_HANDLER_TEMPLATE : HANDLER_TEMPLATE),
      data,
    ),
    test:
      input.test === 'none'
        ? undefined
        : await renderFile(
            path.join(input.templatesDir, testTemplateName(input.test, input.topic !== undefined)),
            data,
          ),
  };
}

async function renderFile(file: string, data: unknown): Promise<string> {
  const hb = Handlebars.create();
  hb.registerHelper('json', (value: unknown) => formatJson(value));
  // Errors name the template, its line and handlebars' whole message (templates.ts).
  return compileTemplate(hb, file, await readTemplate(file))(data);
}
