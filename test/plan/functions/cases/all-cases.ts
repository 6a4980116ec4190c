/** Every family's case table, for the oracle. */
import type { Case } from '../harness.js';
import { ARITHMETIC_CASES } from './arithmetic-cases.js';
import { ARRAY_CASES } from './array-cases.js';
import { CAST_CASES } from './cast-cases.js';
import { COMPARISON_CASES } from './comparison-cases.js';
import { DATETIME_CASES } from './datetime-cases.js';
import { JSONB_CASES } from './jsonb-cases.js';
import { MATH_CASES } from './math-cases.js';
import { MISC_CASES } from './misc-cases.js';
import { PATTERN_CASES } from './pattern-cases.js';
import { TEXT_CASES } from './text-cases.js';
import { TO_CHAR_CASES } from './to-char-cases.js';

export const ALL_CASES: Case[] = [
  ...ARITHMETIC_CASES,
  ...COMPARISON_CASES,
  ...MATH_CASES,
  ...TEXT_CASES,
  ...PATTERN_CASES,
  ...DATETIME_CASES,
  ...TO_CHAR_CASES,
  ...JSONB_CASES,
  ...ARRAY_CASES,
  ...MISC_CASES,
  ...CAST_CASES,
];
