import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldSubjects, splitSubjects } from '../../src/data/split.js';

const subjects = Array.from({ length: 102 }, (_, i) => String(i + 1).padStart(3, '0'));

test('subject-wise split: every subject in exactly one fold, sizes within one', () => {
  const folds = splitSubjects(subjects, 10, 1);
  assert.equal(folds.length, 10);
  assert.deepEqual(folds.flat().sort(), subjects);
  const sizes = folds.map((f) => f.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
});

test('the split is deterministic for a seed, whatever the input order, and changes with the seed', () => {
  const a = splitSubjects(subjects, 10, 7);
  const b = splitSubjects([...subjects].reverse().concat(subjects), 10, 7);
  assert.deepEqual(a, b);
  assert.notDeepEqual(splitSubjects(subjects, 10, 8), a);
});

test('a fold holds out its subjects from training', () => {
  const folds = splitSubjects(subjects, 10, 1);
  const { train, test: held } = foldSubjects(folds, 3);
  assert.deepEqual([...held].sort(), folds[3]);
  for (const s of held) assert.ok(!train.has(s));
  assert.equal(train.size + held.size, 102);
  assert.throws(() => foldSubjects(folds, 10), /--fold must be from 0 to 9/);
  assert.throws(() => splitSubjects(['a', 'b'], 10), /cannot be split into 10 folds/);
});
