/**
 * A small JSON scanner that records where each value (and each property name) starts,
 * by JSON pointer: the tests' own way to compute line:column, independent of the
 * jsonc-parser positions the code under test uses.
 */
export interface Place {
  readonly line: number;
  readonly column: number;
}

export function jsonPlaces(text: string): { values: Map<string, Place>; keys: Map<string, Place> } {
  const values = new Map<string, Place>();
  const keys = new Map<string, Place>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineStarts = [0];
  for (let n = 0; n < text.length; n++) if (text[n] === '\n') lineStarts.push(n + 1);
  const place = (offset: number): Place => {
    let [low, high] = [0, lineStarts.length - 1];
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
  const ws = () => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  const value = (pointer: string): void => {
    ws();
    values.set(pointer, place(i));
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (text[i] !== '}') {
        ws();
        const keyAt = i;
        const key = str();
        keys.set(`${pointer}/${escape(key)}`, place(keyAt));
        ws();
        i++; // :
        value(`${pointer}/${escape(key)}`);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '[') {
      i++;
      ws();
      for (let n = 0; text[i] !== ']'; n++) {
        value(`${pointer}/${n}`);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '"') str();
    else while (/[^,\]}\s]/.test(text[i] ?? ' ')) i++;
  };
  value('');
  return { values, keys };
}
