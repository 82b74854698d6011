/**
 * A value a payload schema accepts, for the tests `scaffold --topic` writes: the schema's
 * first `examples` entry, else the smallest instance its keywords describe. The caller
 * checks it against the schema.
 */
import { isSchemaObject, type JsonSchemaObject } from '../../core/schema-walk.js';
import { resolvePointer } from '../../core/json-pointer.js';

export function exampleValue(schema: unknown, root: JsonSchemaObject = schema as JsonSchemaObject, depth = 0): unknown {
  if (!isSchemaObject(schema) || depth > 20) return null;
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return schema['examples'][0];
  if ('const' in schema) return schema['const'];
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#')) {
    return exampleValue(resolvePointer(root, ref), root, depth + 1);
  }
  for (const keyword of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = schema[keyword];
    if (Array.isArray(list) && list.length > 0) return exampleValue(list[0], root, depth + 1);
  }
  const types = Array.isArray(schema['type']) ? schema['type'] : [schema['type']];
  const type = types.find((t) => t !== 'null') ?? types[0];
  const number = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  switch (type) {
    case 'object': {
      const properties = isSchemaObject(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
      return Object.fromEntries(required.map((name) => [name, exampleValue(properties[name] ?? {}, root, depth + 1)]));
    }
    case 'array':
      return Array.from({ length: number('minItems') ?? 0 }, () =>
        exampleValue(schema['items'] ?? {}, root, depth + 1),
      );
    case 'string':
      return 'x'.repeat(Math.max(number('minLength') ?? 1, 1));
    case 'integer':
      return (
        number('minimum') ??
        (number('exclusiveMinimum') !== undefined ? Math.floor(number('exclusiveMinimum') as number) + 1 : 0)
      );
    case 'number':
      return (
        number('minimum') ?? (number('exclusiveMinimum') !== undefined ? (number('exclusiveMinimum') as number) + 1 : 0)
      );
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return {};
  }
}
