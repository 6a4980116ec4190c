// The V8 flags weir's server process runs with. A tick allocates many short-lived rows; with
// V8's default young generation (16 MiB semi-spaces) most of them are promoted and collected by
// the old generation's collector. 64 MiB semi-spaces keep them young: garbage collection went
// from 21–26 % to 9–12 % of the write path's CPU and Nexmark q1 ran at 1.2× the events per
// CPU-second (docs/benchmarks.md). The same flag is spelt out where a process is started
// without this module: bin/weir.js's shebang, package.json's `start`, the Dockerfile's CMD.
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
