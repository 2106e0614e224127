import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { allRows, objectBuilder } from '../../src/store/sqlite/rowObjects.js';

const db = new Database(':memory:');
afterAll(() => db.close());

test('objectBuilder keys values by column name, whatever characters the names hold', () => {
  const build = objectBuilder(['id', 'flow name', 'quote"s', 'back\\slash', "it's"]);
  expect(build(['a', 1, null, 2.5, true])).toEqual({ id: 'a', 'flow name': 1, 'quote"s': null, 'back\\slash': 2.5, "it's": true });
});

test('allRows returns the same rows as better-sqlite3, in order, and leaves other statements alone', () => {
  db.exec("CREATE TABLE t (id TEXT, n INTEGER, x REAL, b BLOB); INSERT INTO t VALUES ('a', 1, 0.5, NULL), ('b', 2, NULL, x'00ff')");
  const sql = 'SELECT id, n, x AS renamed, b FROM t WHERE n >= ? ORDER BY id';
  const expected = db.prepare(sql).all(1);
  const statement = db.prepare(sql);
  expect(allRows(statement, [1])).toEqual(expected);
  expect(allRows(statement, [2])).toEqual(expected.slice(1));
  expect(db.prepare('SELECT id FROM t ORDER BY id').all()).toEqual([{ id: 'a' }, { id: 'b' }]);
});
