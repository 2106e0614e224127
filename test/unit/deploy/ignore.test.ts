import { describe, expect, test } from 'vitest';
import { createIgnoreMatcher, parseIgnoreRules } from '../../../src/deploy/ignore.js';

describe('.batonignore patterns (gitignore semantics)', () => {
  test('comments and blank lines are not patterns; escaped # and ! are', () => {
    const rules = parseIgnoreRules('# a comment\n\n   \n\\#hash.ts\n\\!bang.ts\nplain.ts\n');
    expect(rules.map((r) => r.pattern)).toEqual(['\\#hash.ts', '\\!bang.ts', 'plain.ts']);
    const m = createIgnoreMatcher('\\#hash.ts\n\\!bang.ts\n');
    expect(m.matches('#hash.ts', false)).toBe(true);
    expect(m.matches('!bang.ts', false)).toBe(true);
    expect(m.matches('hash.ts', false)).toBe(false);
  });

  test('a name without a slash matches at any depth, files and folders alike', () => {
    const m = createIgnoreMatcher('scratch.ts\nbuild\n');
    expect(m.matches('scratch.ts', false)).toBe(true);
    expect(m.matches('a/b/scratch.ts', false)).toBe(true);
    expect(m.matches('a/b/scratch.tsx', false)).toBe(false);
    expect(m.matches('build', true)).toBe(true);
    expect(m.matches('packages/x/build', true)).toBe(true);
  });

  test('a trailing slash matches folders only', () => {
    const m = createIgnoreMatcher('tmp/\n');
    expect(m.matches('tmp', true)).toBe(true);
    expect(m.matches('src/tmp', true)).toBe(true);
    expect(m.matches('tmp', false)).toBe(false);
    expect(m.ignores('tmp/flow.ts', false)).toBe(true);
  });

  test('*.log style globs, ? and character classes stay within one path segment', () => {
    const m = createIgnoreMatcher('*.log\nfile?.ts\nv[0-9].ts\n');
    expect(m.matches('app.log', false)).toBe(true);
    expect(m.matches('deep/dir/app.log', false)).toBe(true);
    expect(m.matches('file1.ts', false)).toBe(true);
    expect(m.matches('file12.ts', false)).toBe(false);
    expect(m.matches('v7.ts', false)).toBe(true);
    expect(m.matches('vx.ts', false)).toBe(false);
  });

  test('a leading slash, or a slash inside, anchors the pattern to the root', () => {
    const m = createIgnoreMatcher('/top.ts\nsrc/generated\n');
    expect(m.matches('top.ts', false)).toBe(true);
    expect(m.matches('sub/top.ts', false)).toBe(false);
    expect(m.matches('src/generated', true)).toBe(true);
    expect(m.matches('lib/src/generated', true)).toBe(false);
  });

  test('** matches any number of folders', () => {
    const m = createIgnoreMatcher('**/fixtures\nlegacy/**\na/**/z.ts\n');
    expect(m.matches('fixtures', true)).toBe(true);
    expect(m.matches('test/unit/fixtures', true)).toBe(true);
    expect(m.matches('legacy/x.ts', false)).toBe(true);
    expect(m.matches('legacy/deep/x.ts', false)).toBe(true);
    expect(m.matches('legacy', true)).toBe(false);
    expect(m.matches('a/z.ts', false)).toBe(true);
    expect(m.matches('a/b/c/z.ts', false)).toBe(true);
    expect(m.matches('b/a/z.ts', false)).toBe(false);
  });

  test('! re-includes what an earlier pattern excluded; the last matching pattern wins', () => {
    const m = createIgnoreMatcher('*.ts\n!keep.ts\nkeep.ts\n!flows/*.ts\n');
    expect(m.matches('other.ts', false)).toBe(true);
    expect(m.matches('keep.ts', false)).toBe(true); // excluded again by the third line
    expect(m.matches('flows/etl.ts', false)).toBe(false);
    const n = createIgnoreMatcher('experiments/*\n!experiments/keep.ts\n');
    expect(n.matches('experiments/a.ts', false)).toBe(true);
    expect(n.matches('experiments/keep.ts', false)).toBe(false);
  });

  test('a file in an excluded folder cannot be re-included (as in git)', () => {
    const m = createIgnoreMatcher('vendor/\n!vendor/flow.ts\n');
    expect(m.matches('vendor/flow.ts', false)).toBe(false);
    expect(m.ignores('vendor/flow.ts', false)).toBe(true);
  });

  test('trailing spaces are dropped unless escaped; CRLF files work', () => {
    const m = createIgnoreMatcher('spaced.ts   \r\nkept\\ \r\n');
    expect(m.matches('spaced.ts', false)).toBe(true);
    expect(m.matches('kept ', false)).toBe(true);
  });

  test('regex characters in patterns are literal', () => {
    const m = createIgnoreMatcher('a+b(1).ts\n');
    expect(m.matches('a+b(1).ts', false)).toBe(true);
    expect(m.matches('aab(1).ts', false)).toBe(false);
  });
});
