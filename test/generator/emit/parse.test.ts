/**
 * The legacy forms are declared in the schema, not in code: editing the declaration
 * changes what the generated parse accepts. Each case generates from an edited copy of
 * the embedded schema, bundles the output and runs it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../generator/index.js';
import { writeGeneratedFiles } from '../../../generator/output/generated-files.js';
import { EMBEDDED_SCHEMA_PATH, REPO_ROOT, tempDir } from '../../helpers.js';
import { importGenerated } from '../../load-generated.js';

type Schema = { $defs: Record<string, any> };

async function apiFrom(edit: (schema: Schema) => void) {
  const schema = JSON.parse(await readFile(EMBEDDED_SCHEMA_PATH, 'utf8')) as Schema;
  edit(schema);
  const dir = await tempDir();
  const file = path.join(dir, 'event.schema.json');
  await writeFile(file, JSON.stringify(schema, null, 2));
  await writeGeneratedFiles(path.join(dir, 'generated'), await generate({ schema: file }));
  return importGenerated(path.join(dir, 'generated'));
}

const documented = async (name: string) =>
  JSON.parse(await readFile(path.join(REPO_ROOT, 'test', 'fixtures', 'documented', name), 'utf8'));

describe('legacy forms follow the schema', () => {
  it('removing the declarations makes parse reject both documented examples', async () => {
    const api = await apiFrom((schema) => {
      delete schema.$defs['KafkaRecord'].properties.partition['x-legacy-forms'];
      delete schema.$defs['KafkaRecordHeader'].additionalProperties['x-legacy-forms'];
    });
    const first = api['safeParseKafkaEvent'](await documented('managed-kafka.json'));
    expect(first.success).toBe(false);
    expect(first.issues.map((i: { path: string }) => i.path)).toEqual(['/records/mytopic-0/0/partition']);
    const second = api['safeParseKafkaEvent'](await documented('another-managed-kafka.json'));
    expect(second.issues.map((i: { path: string }) => i.path)).toEqual([
      '/records/AWSKafkaTopic-0/0/headers/0/headerKey',
    ]);
  });

  it('declaring a new one (timestamp as a decimal string) makes parse accept and normalize it', async () => {
    const event = await documented('another-managed-kafka.json');
    event.records['AWSKafkaTopic-0'][0].timestamp = '1595035749700';
    const before = await apiFrom(() => {});
    expect(before['safeParseKafkaEvent'](event).success).toBe(false);

    const api = await apiFrom((schema) => {
      schema.$defs['KafkaRecord'].properties.timestamp['x-legacy-forms'] = [
        {
          id: 'timestamp-as-decimal-string',
          accept: { type: 'string', pattern: '^[0-9]{1,15}$' },
          normalize: 'decimal-string-to-integer',
        },
      ];
    });
    const result = api['safeParseKafkaEvent'](event);
    expect(result.success).toBe(true);
    expect(result.data.records['AWSKafkaTopic-0'][0].timestamp).toBe(1595035749700);
    expect(result.warnings.map((w: { form: string; path: string }) => [w.form, w.path])).toEqual([
      ['timestamp-as-decimal-string', '/records/AWSKafkaTopic-0/0/timestamp'],
      ['header-value-as-base64-string', '/records/AWSKafkaTopic-0/0/headers/0/headerKey'],
    ]);
  });

  it('narrowing an accept schema narrows what parse accepts', async () => {
    const api = await apiFrom((schema) => {
      schema.$defs['KafkaRecord'].properties.partition['x-legacy-forms'][0].accept.pattern = '^0$';
    });
    const event = await documented('managed-kafka.json');
    expect(api['safeParseKafkaEvent'](event).success).toBe(true);
    event.records['mytopic-0'][0].partition = '7';
    expect(api['safeParseKafkaEvent'](event).success).toBe(false);
  });
});
