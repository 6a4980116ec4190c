import { DATETIME_CASES } from './cases/datetime-cases.js';
import { runCases } from './run-cases.js';

runCases(DATETIME_CASES);
