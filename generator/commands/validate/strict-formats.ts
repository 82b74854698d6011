/**
 * `validate --strict`: the precise formats the schema declares with `x-strict` (the
 * eventSourceArn of a real MSK cluster, bootstrapServers as host:port,...), which the
 * default check leaves loose so that the AWS SDKs' and Powertools' sample events pass.
 * The declarations are read from the model (model.ts, `strictFormats`): the schema is
 * their only home.
 */
import { forEachAt } from '../../core/instance-path.js';
import type { CodegenModel } from '../../core/model.js';
import type { InstancePathSegment } from '../../core/instance-path.js';
import type { Finding } from './index.js';

interface CompiledFormat {
  readonly path: readonly InstancePathSegment[];
  readonly test: RegExp;
  readonly expected: string;
  readonly hint: string;
}

const compiled = new WeakMap<CodegenModel, readonly CompiledFormat[]>();

/** The model's formats, each pattern compiled once per model (`u`, as Ajv compiles `pattern`). */
function formatsOf(model: CodegenModel): readonly CompiledFormat[] {
  let formats = compiled.get(model);
  if (formats === undefined) {
    formats = (model.strictFormats ?? []).map((f) => ({
      path: f.instancePath,
      test: new RegExp(f.pattern, 'u'),
      expected: f.expected,
      hint: f.description,
    }));
    compiled.set(model, formats);
  }
  return formats;
}

/** A warning for each string at a declared place that does not match its precise format (only own properties are read). */
export function strictFormatFindings(model: CodegenModel, value: unknown): Finding[] {
  const findings: Finding[] = [];
  for (const format of formatsOf(model)) {
    forEachAt(value, format.path, (node, pointer) => {
      if (typeof node !== 'string' || format.test.test(node)) return;
      const at = pointer();
      findings.push({
        severity: 'warning',
        code: 'strict-format',
        message: `${at}: not in the precise format Lambda sends (accepted; --strict reports it)`,
        path: at,
        expected: format.expected,
        received: `string ${JSON.stringify(node.length > 200 ? `${node.slice(0, 200)}…` : node)}`,
        hint: format.hint,
      });
    });
  }
  return findings;
}
