#!/usr/bin/env -S node --max-semi-space-size=64
// The `weir` command: runs the compiled CLI (npm install builds it into dist/).
import { main } from '../dist/main.js';

main(process.argv);
