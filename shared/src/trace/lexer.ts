import { MalformedTrace } from './types.ts';

export type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; bytes: Uint8Array }
  | { kind: 'char'; byte: number };

const ESCAPES: Record<string, number> = { n: 10, t: 9, '\\': 92, '"': 34, '0': 0 };

function isPrintable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

/** Split one line into tokens; `#` outside a string or character literal starts a comment. */
export function tokenize(text: string, line: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      break;
    } else if (c === '"') {
      const bytes: number[] = [];
      i++;
      for (;;) {
        if (i >= text.length) throw new MalformedTrace(line, 'unterminated string');
        const d = text[i];
        if (d === '"') break;
        if (d === '\\') {
          const e = text[i + 1];
          if (e === 'x') {
            const hex = text.slice(i + 2, i + 4);
            if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new MalformedTrace(line, 'bad \\x escape in string');
            bytes.push(parseInt(hex, 16));
            i += 4;
          } else if (e !== undefined && e in ESCAPES) {
            bytes.push(ESCAPES[e]);
            i += 2;
          } else {
            throw new MalformedTrace(line, `unknown escape \\${e ?? ''} in string`);
          }
        } else {
          const code = d.charCodeAt(0);
          if (!isPrintable(code)) throw new MalformedTrace(line, 'strings hold printable ASCII; use escapes for other bytes');
          bytes.push(code);
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', bytes: Uint8Array.from(bytes) });
    } else if (c === "'") {
      const code = text.charCodeAt(i + 1);
      if (text[i + 2] !== "'" || !isPrintable(code)) throw new MalformedTrace(line, "a character literal is one printable character in quotes, like 'A'");
      tokens.push({ kind: 'char', byte: code });
      i += 3;
    } else {
      let j = i;
      while (j < text.length && !' \t\r#"\''.includes(text[j])) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}
