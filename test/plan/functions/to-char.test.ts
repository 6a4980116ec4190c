import { TO_CHAR_CASES } from './cases/to-char-cases.js';
import { runCases } from './run-cases.js';

runCases(TO_CHAR_CASES);
