/**
 * Places in an instance (an event) as the model names them: property names, and `ANY`
 * for any property name or array index (`['records', ANY, ANY, 'offset']` is every
 * record's offset). One walker for every check that looks at such places. No imports
 * of Ajv, so the tool's fast paths can use it without loading a compiler.
 */
import { joinPointer } from './json-pointer.js';

/** A wildcard segment of an instance path: any property name or array index. */
export const ANY = null;
export type InstancePathSegment = string | typeof ANY;
export type InstancePath = readonly InstancePathSegment[];

/**
 * Calls `visit` with each value found at `path` in `value` (own properties only), and a
 * function that builds its JSON pointer: only a caller that reports something pays for it.
 */
export function forEachAt(
  value: unknown,
  path: InstancePath,
  visit: (found: unknown, pointer: () => string) => void,
): void {
  const keys: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth === path.length) {
      visit(node, () => joinPointer('', ...keys));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const segment = path[depth];
    const names =
      segment === ANY || segment === undefined ? Object.keys(node) : Object.hasOwn(node, segment) ? [segment] : [];
    for (const key of names) {
      keys.push(key);
      walk((node as Record<string, unknown>)[key], depth + 1);
      keys.pop();
    }
  };
  walk(value, 0);
}
