/**
 * A small JavaScript/TypeScript tokenizer, just enough to find `flow(...)` exports without
 * running or fully parsing a file: comments are dropped, strings and templates become single
 * tokens (so `flow(` inside them never counts), and regular expression literals are skipped with
 * the usual "what came before the slash" rule. Anything it does not understand becomes a one-
 * character punctuation token, so odd input degrades to missed matches, never to a crash.
 */
export type Token =
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  /** `value` is the text of a template without substitutions, else null. */
  | { kind: 'template'; value: string | null; pos: number }
  | { kind: 'number'; pos: number }
  | { kind: 'punct'; value: string; pos: number };

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

/** Character-code tests: a regex per character is several times slower on large files. */
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const lexer = new Lexer(source);
  lexer.run(tokens, false);
  return tokens;
}

class Lexer {
  i = 0;
  constructor(readonly src: string) {}

  /**
   * Lexes code until the end, or (inside a template substitution) until the `}` that closes it.
   * Tokens inside substitutions are not kept: they cannot be exports.
   */
  run(out: Token[], inSubstitution: boolean): void {
    const src = this.src;
    let depth = 0;
    let prev: Token | undefined;
    const push = (t: Token): void => {
      prev = t;
      out.push(t);
    };
    while (this.i < src.length) {
      const ch = src[this.i] as string;
      const pos = this.i;
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\ufeff') {
        this.i++;
        continue;
      }
      if (ch === '/' && src[this.i + 1] === '/') {
        const nl = src.indexOf('\n', this.i);
        this.i = nl < 0 ? src.length : nl;
        continue;
      }
      if (ch === '/' && src[this.i + 1] === '*') {
        const end = src.indexOf('*/', this.i + 2);
        this.i = end < 0 ? src.length : end + 2;
        continue;
      }
      if (ch === '"' || ch === "'") {
        push({ kind: 'string', value: this.readString(ch), pos });
        continue;
      }
      if (ch === '`') {
        push({ kind: 'template', value: this.readTemplate(), pos });
        continue;
      }
      if (ch === '/' && regexAllowedAfter(prev)) {
        if (this.skipRegex()) {
          push({ kind: 'punct', value: 'regex', pos });
          continue;
        }
      }
      if (isIdentStart(src.charCodeAt(this.i)) || ch === '\\' || ch === '#') {
        const start = this.i;
        this.i++;
        while (this.i < src.length && (isIdentPart(src.charCodeAt(this.i)) || src[this.i] === '\\')) this.i++;
        push({ kind: 'ident', value: src.slice(start, this.i), pos });
        continue;
      }
      if (ch >= '0' && ch <= '9') {
        this.i++;
        while (this.i < src.length && (isIdentPart(src.charCodeAt(this.i)) || src[this.i] === '.')) this.i++;
        push({ kind: 'number', pos });
        continue;
      }
      if (ch === '.' && src.startsWith('...', this.i)) {
        this.i += 3;
        push({ kind: 'punct', value: '...', pos });
        continue;
      }
      if (ch === '{' || ch === '(' || ch === '[') depth++;
      if (ch === '}' || ch === ')' || ch === ']') {
        if (inSubstitution && ch === '}' && depth === 0) {
          this.i++;
          return;
        }
        depth--;
      }
      this.i++;
      push({ kind: 'punct', value: ch, pos });
    }
  }

  private readString(quote: string): string {
    const src = this.src;
    let value = '';
    this.i++;
    while (this.i < src.length) {
      const ch = src[this.i] as string;
      if (ch === '\\') {
        value += src[this.i + 1] ?? '';
        this.i += 2;
        continue;
      }
      this.i++;
      if (ch === quote) return value;
      // An unterminated string ends at the line end, as the language says.
      if (ch === '\n') return value;
      value += ch;
    }
    return value;
  }

  private readTemplate(): string | null {
    const src = this.src;
    let value = '';
    let plain = true;
    this.i++;
    while (this.i < src.length) {
      const ch = src[this.i] as string;
      if (ch === '\\') {
        value += src[this.i + 1] ?? '';
        this.i += 2;
        continue;
      }
      if (ch === '`') {
        this.i++;
        return plain ? value : null;
      }
      if (ch === '$' && src[this.i + 1] === '{') {
        plain = false;
        this.i += 2;
        this.run([], true);
        continue;
      }
      value += ch;
      this.i++;
    }
    return plain ? value : null;
  }

  /** Skips a regular expression literal; false (position unchanged) when there is none on this line. */
  private skipRegex(): boolean {
    const src = this.src;
    let j = this.i + 1;
    let inClass = false;
    while (j < src.length) {
      const ch = src[j];
      if (ch === '\n' || ch === '\r') return false;
      if (ch === '\\') {
        j += 2;
        continue;
      }
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) {
        j++;
        while (j < src.length && /[a-z]/i.test(src[j] as string)) j++;
        this.i = j;
        return true;
      }
      j++;
    }
    return false;
  }
}

function regexAllowedAfter(prev: Token | undefined): boolean {
  if (!prev) return true;
  switch (prev.kind) {
    case 'number':
    case 'string':
    case 'template':
      return false;
    case 'ident':
      return REGEX_AFTER_KEYWORDS.has(prev.value);
    case 'punct':
      return prev.value !== ')' && prev.value !== ']' && prev.value !== '}' && prev.value !== 'regex';
  }
}

export function isPunct(t: Token | undefined, value: string): boolean {
  return t?.kind === 'punct' && t.value === value;
}

export function isIdent(t: Token | undefined): t is Token & { kind: 'ident'; value: string } {
  return t?.kind === 'ident';
}

export function isWord(t: Token | undefined, value: string): boolean {
  return t?.kind === 'ident' && t.value === value;
}
