import { ARITHMETIC_CASES } from './cases/arithmetic-cases.js';
import { runCases } from './run-cases.js';

runCases(ARITHMETIC_CASES);
