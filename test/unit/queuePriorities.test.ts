import { expect, test } from 'vitest';
import { compactPriorities, nextFreePriority, resequencePriorities } from '../../src/domain/queuePriorities.js';

const q = (id: string, priority: number) => ({ id, priority });

test('next free priority is the first gap, else max + 1', () => {
  expect(nextFreePriority([])).toBe(1);
  expect(nextFreePriority([1, 2, 3])).toBe(4);
  expect(nextFreePriority([1, 2, 5])).toBe(3);
  expect(nextFreePriority([2, 3])).toBe(1);
});

test('moving a queue onto a taken priority shifts only the queues in the way', () => {
  const changes = resequencePriorities([q('a', 1), q('b', 2), q('c', 3), q('d', 7)], new Map([['d', 2]]));
  expect(Object.fromEntries(changes)).toEqual({ d: 2, b: 3, c: 4 });
});

test('a free target priority changes nothing else', () => {
  const changes = resequencePriorities([q('a', 1), q('b', 5)], new Map([['b', 3]]));
  expect(Object.fromEntries(changes)).toEqual({ b: 3 });
});

test('compaction renumbers 1..n keeping order', () => {
  expect(Object.fromEntries(compactPriorities([q('a', 2), q('b', 5), q('c', 9)]))).toEqual({ a: 1, b: 2, c: 3 });
  expect(compactPriorities([q('a', 1), q('b', 2)]).size).toBe(0);
});
