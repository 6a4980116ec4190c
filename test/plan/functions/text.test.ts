import { TEXT_CASES } from './cases/text-cases.js';
import { runCases } from './run-cases.js';

runCases(TEXT_CASES);
