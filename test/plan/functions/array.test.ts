import { ARRAY_CASES } from './cases/array-cases.js';
import { runCases } from './run-cases.js';

runCases(ARRAY_CASES);
