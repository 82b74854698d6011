/**
 * Matching a topic against a config pattern such as `orders-*`, used by the generated
 * payloads.ts (copied there by emit/runtime-source.ts), so it stays self-contained. No
 * regular expression: a pattern like `x*x*x*x*y` would make a backtracking engine take
 * exponential time on a 249-character topic; this takes one indexOf per `*`.
 */

/**
 * Whether `topic` matches the pattern whose literal parts, split on `*`, are `parts`
 * (`orders-*-eu` is `['orders-', '-eu']`). Each middle part is taken at its first
 * occurrence, which is always right for `*`-only patterns.
 */
export function matchesTopicPattern(topic: string, parts: readonly string[]): boolean {
  const first = parts[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1] ?? '') : '';
  if (parts.length === 1) return topic === first;
  if (topic.length < first.length + last.length || !topic.startsWith(first) || !topic.endsWith(last)) return false;
  const end = topic.length - last.length;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const found = topic.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
