/** Loads and compiles the handlebars templates in templates/ (strict, no HTML escaping: they produce code). */
import Handlebars from 'handlebars';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { TEMPLATES_DIR } from './package-root.js';

export type Template = (data: unknown) => string;

export interface Templates {
  readonly parse: Template;
  readonly index: Template;
  readonly records: Template;
  readonly payloads: Template;
}

function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  // Every value put into code as a literal goes through JSON.stringify.
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value));
  return hb;
}

async function compileFile(hb: typeof Handlebars, file: string): Promise<Template> {
  const template = hb.compile(await readFile(file, 'utf8'), { noEscape: true, strict: true });
  return (data) => template(data);
}

export async function loadTemplates(dir: string = TEMPLATES_DIR): Promise<Templates> {
  const hb = createHandlebars();
  return {
    parse: await compileFile(hb, path.join(dir, 'parse.ts.hbs')),
    index: await compileFile(hb, path.join(dir, 'index.ts.hbs')),
    records: await compileFile(hb, path.join(dir, 'records.ts.hbs')),
    payloads: await compileFile(hb, path.join(dir, 'payloads.ts.hbs')),
  };
}

/** `base64-to-signed-bytes` -> `base64ToSignedBytes` */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
