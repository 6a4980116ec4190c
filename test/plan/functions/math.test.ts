import { MATH_CASES } from './cases/math-cases.js';
import { runCases } from './run-cases.js';

runCases(MATH_CASES);
