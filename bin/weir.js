#!/usr/bin/env node
// The `weir` command: runs the compiled CLI (npm install builds it into dist/).
import { main } from '../dist/main.js';

main(process.argv);
