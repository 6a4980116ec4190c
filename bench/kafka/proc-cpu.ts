/**
 * CPU time of another process on this machine, from /proc/PID/stat (Linux): user + system time
 * in ms, its threads included (a JVM's compiler and GC threads, LevelDB's thread).
 */
import { readFileSync } from 'node:fs';

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
