import { PATTERN_CASES } from './cases/pattern-cases.js';
import { runCases } from './run-cases.js';

runCases(PATTERN_CASES);
