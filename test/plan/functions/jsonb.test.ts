import { JSONB_CASES } from './cases/jsonb-cases.js';
import { runCases } from './run-cases.js';

runCases(JSONB_CASES);
