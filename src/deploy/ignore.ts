/**
 * `.batonignore`: gitignore-style patterns (as Prefect's `.prefectignore`) that keep files and
 * folders out of flow discovery. Supported: comments, blank lines, `dir/` (folders only), `*`,
 * `?`, `[abc]`, `**` (`**\/x`, `x/**`, `a/**\/b`), a leading or inner `/` anchoring the pattern to
 * the root, `!` negation (the last matching pattern wins), and `\` escapes (`\#`, `\!`, `\ `).
 */
export interface IgnoreRule {
  pattern: string;
  negated: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

export interface IgnoreMatcher {
  rules: readonly IgnoreRule[];
  /**
   * Whether the patterns exclude this path itself (POSIX, relative to the root), ignoring its
   * parents. A walk that never enters excluded folders needs only this.
   */
  matches(relPath: string, isDir: boolean): boolean;
  /**
   * Whether the path is excluded, itself or through an excluded parent folder. As in git, a file
   * inside an excluded folder cannot be re-included by a `!` pattern.
   */
  ignores(relPath: string, isDir: boolean): boolean;
}

export function parseIgnoreRules(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const rule = parseLine(rawLine);
    if (rule) rules.push(rule);
  }
  return rules;
}

export function createIgnoreMatcher(text: string): IgnoreMatcher {
  const rules = parseIgnoreRules(text);
  const matches = (relPath: string, isDir: boolean): boolean => {
    let ignored = false;
    for (const rule of rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.negated === ignored && rule.regex.test(relPath)) ignored = !rule.negated;
    }
    return ignored;
  };
  const ignores = (relPath: string, isDir: boolean): boolean => {
    const parts = relPath.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (matches(parts.slice(0, i).join('/'), true)) return true;
    }
    return matches(relPath, isDir);
  };
  return { rules, matches, ignores };
}

function parseLine(rawLine: string): IgnoreRule | null {
  let line = trimTrailingSpaces(rawLine);
  if (line === '' || line.startsWith('#')) return null;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/') && !line.endsWith('\\/')) {
    dirOnly = true;
    line = line.replace(/\/+$/, '');
  }
  if (line === '') return null;
  // A slash anywhere but at the end ties the pattern to the root; otherwise it matches at any depth.
  const anchored = line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  const body = globToRegexSource(line);
  const source = anchored || line.startsWith('**/') ? `^${body}$` : `^(?:.*/)?${body}$`;
  return { pattern: rawLine.trim(), negated, dirOnly, regex: new RegExp(source) };
}

/** Trailing spaces are dropped unless escaped with a backslash (gitignore rule). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t' || line[end - 1] === '\r')) {
    if (end >= 2 && line[end - 2] === '\\') break;
    end--;
  }
  return line.slice(0, end);
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

function globToRegexSource(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const ch = glob[i] as string;
    if (ch === '\\') {
      const next = glob[i + 1];
      if (next !== undefined) out += escapeRegex(next);
      i += 2;
      continue;
    }
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0;
        const afterSlash = i > 0 && glob[i - 1] === '/';
        const nextCh = glob[i + 2];
        if ((atStart || afterSlash) && nextCh === '/') {
          // `**/` : zero or more folders.
          out += '(?:.*/)?';
          i += 3;
          continue;
        }
        if (afterSlash && nextCh === undefined) {
          // `x/**` : everything inside x (the slash is already in `out`).
          out += '.+';
          i += 2;
          continue;
        }
        if (atStart && nextCh === undefined) {
          out += '.*';
          i += 2;
          continue;
        }
        // Any other run of asterisks behaves like a single one.
        while (glob[i] === '*') i++;
        out += '[^/]*';
        continue;
      }
      out += '[^/]*';
      i++;
      continue;
    }
    if (ch === '?') {
      out += '[^/]';
      i++;
      continue;
    }
    if (ch === '[') {
      const close = findClassEnd(glob, i);
      if (close > 0) {
        let cls = glob.slice(i + 1, close);
        let negate = false;
        if (cls.startsWith('!') || cls.startsWith('^')) {
          negate = true;
          cls = cls.slice(1);
        }
        const escaped = cls.replace(/\\/g, '\\\\').replace(/\]/g, '\\]');
        out += negate ? `[^/${escaped}]` : `[${escaped}]`;
        i = close + 1;
        continue;
      }
    }
    out += escapeRegex(ch);
    i++;
  }
  return out;
}

/** Index of the `]` closing a character class opened at `start`, or -1 when it is not a class. */
function findClassEnd(glob: string, start: number): number {
  let j = start + 1;
  if (glob[j] === '!' || glob[j] === '^') j++;
  if (glob[j] === ']') j++;
  for (; j < glob.length; j++) {
    if (glob[j] === ']') return j;
    if (glob[j] === '/') return -1;
  }
  return -1;
}
