/**
 * CPU time and memory of another process, read from /proc (Linux only). NOTES.md §6: on this shared 2-core box
 * the figure to compare proxies by is CPU-seconds per GiB of the proxy process, not MiB/s. utime+stime of
 * /proc/<pid>/stat cover every thread of the process (libuv pool, GC helpers), in clock ticks (`getconf
 * CLK_TCK`, usually 100: 10 ms resolution per reading, so a sample needs ≳1 s of CPU to be precise to ~1%).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** Field n (1-based, as in proc(5)) of /proc/<pid>/stat. */
function statFields(pid: number): (n: number) => number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Field 2 (comm) may contain spaces and parentheses: count the remaining fields from the last ')'.
  // After it comes field 3 (state), so field n sits at index n - 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (n) => {
    const v = Number(fields[n - 3]);
    if (!Number.isFinite(v)) throw new Error(`unreadable field ${n} of /proc/${pid}/stat`);
    return v;
  };
}

/** User + system CPU seconds the process has used so far (utime, field 14, + stime, field 15). */
export function cpuSeconds(pid: number): number {
  const field = statFields(pid);
  return (field(14) + field(15)) / CLOCK_TICKS;
}

/**
 * Minor page faults so far (minflt, field 10). A relay that keeps faulting in fresh pages for its read
 * buffers (the allocator handing freed memory back to the kernel) pays for it in system time.
 */
export function minorFaults(pid: number): number {
  return statFields(pid)(10);
}

export interface MemoryKiB {
  /** Current resident set. */
  rss: number;
  /** Peak resident set over the whole life of the process (VmHWM), not of any one measurement. */
  peak: number;
}

export function memoryKiB(pid: number): MemoryKiB {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    if (!m) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(m[1]);
  };
  return { rss: field("VmRSS"), peak: field("VmHWM") };
}

export interface IoCounters {
  /** read/write-family system calls (sockets included) and the bytes they moved. */
  readCalls: number;
  readBytes: number;
  writeCalls: number;
  writeBytes: number;
}

/** /proc/<pid>/io: shows how many system calls the process spends per byte (write coalescing, NOTES §6). */
export function ioCounters(pid: number): IoCounters {
  const text = readFileSync(`/proc/${pid}/io`, "utf8");
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, "m").exec(text)?.[1] ?? NaN);
  return {
    readCalls: field("syscr"),
    readBytes: field("rchar"),
    writeCalls: field("syscw"),
    writeBytes: field("wchar"),
  };
}
