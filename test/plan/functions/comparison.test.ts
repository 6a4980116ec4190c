import { COMPARISON_CASES } from './cases/comparison-cases.js';
import { runCases } from './run-cases.js';

runCases(COMPARISON_CASES);
