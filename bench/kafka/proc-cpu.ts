/**
 * CPU time of another process on this machine, from /proc/PID/stat (Linux): user + system time
 * in ms, its threads included (a JVM's compiler and GC threads, LevelDB's thread).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The process's CPU time so far in ms, or undefined once it is gone (or off Linux). */
export function cpuMsOf(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces) in ")": utime is the 12th, stime the 13th.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

/** Each thread's CPU time so far in ms, by thread id, with its name (/proc/PID/task/TID/stat); empty once the process is gone. */
function threadCpuMs(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name, ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * Like cpuMeter, per thread: at `end()`, the cores the main thread (`main`, the one whose id is the
 * process's) and the others (`others`: in node, LevelDB's work on the libuv pool and V8's GC
 * helpers; all of node's threads are named "node", so they are not told apart) used in between.
 */
export function threadCpuMeter(pid: number | undefined): { end(): Record<string, number> } {
  const before = pid === undefined ? new Map<string, { name: string; ms: number }>() : threadCpuMs(pid);
  const t0 = performance.now();
  return {
    end() {
      if (pid === undefined) return {};
      const wall = performance.now() - t0;
      const out: Record<string, number> = { main: 0, others: 0 };
      for (const [tid, { ms }] of threadCpuMs(pid)) {
        const used = (ms - (before.get(tid)?.ms ?? 0)) / wall;
        out[tid === String(pid) ? 'main' : 'others']! += used;
      }
      for (const k of Object.keys(out)) out[k] = Number(out[k]!.toFixed(2));
      return out;
    },
  };
}

/** Reads a process's CPU at start and, at `end()`, returns the cores it used in between. */
export function cpuMeter(pid: number | undefined): { end(): number | undefined } {
  const cpu0 = pid === undefined ? undefined : cpuMsOf(pid);
  const t0 = performance.now();
  return {
    end() {
      const cpu1 = pid === undefined ? undefined : cpuMsOf(pid);
      if (cpu0 === undefined || cpu1 === undefined) return undefined;
      return Number(((cpu1 - cpu0) / (performance.now() - t0)).toFixed(2));
    },
  };
}
