import { CAST_CASES } from './cases/cast-cases.js';
import { runCases } from './run-cases.js';

runCases(CAST_CASES);
