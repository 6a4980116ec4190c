import { MISC_CASES } from './cases/misc-cases.js';
import { runCases } from './run-cases.js';

runCases(MISC_CASES);
