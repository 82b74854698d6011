/** Where msk-codegen's own files (the embedded schema, the templates) are, from source or from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'msk-codegen'
    )
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('msk-codegen: cannot find its own package.json');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const EMBEDDED_SCHEMA = path.join(PACKAGE_ROOT, 'schema', 'kafka-event.schema.json');
/** The schema of the records Lambda sends an on-failure destination (emit/on-failure.ts, validate --kind on-failure). */
export const ON_FAILURE_SCHEMA = path.join(PACKAGE_ROOT, 'schema', 'kafka-on-failure-record.schema.json');
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
