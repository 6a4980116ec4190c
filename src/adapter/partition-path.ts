/**
 * The directory names of a filesystem sink's partitions, as Flink (and Hive) spell them:
 * `dt=2026-11-26/hm=12%3A34/` — each partition column's value in its text form, with the
 * characters a path cannot hold safely escaped as %XX (Hive's FileUtils.escapePathName set),
 * a NULL value as the default partition name; and the time a partition stands for (the
 * partition-time commit trigger), from the timestamp pattern (`$dt $hm:00` → '2026-11-26 12:34:00').
 */
import type { Datum } from '../types/datum.js';
import type { SqlType } from '../types/sql-type.js';
import { formatDatum } from '../types/text-format.js';
import { parseTimestamp } from '../types/datetime-format.js';

/** Characters escaped in a partition value: control characters, DEL, and " # % ' * / : = ? \ { [ ] ^. */
const ESCAPED = /[\u0001-\u001f"#%'*/:=?\\\u007f{[\]^]/g;

export function escapePathValue(s: string): string {
  return s.replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function unescapePathValue(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A row's partition directory (relative, ending in '/'; '' when the table has no partition columns). */
export function partitionPath(
  row: readonly Datum[],
  columns: readonly { name: string; type: SqlType }[],
  partitionColumns: readonly number[],
  defaultName: string,
): string {
  let out = '';
  for (const i of partitionColumns) {
    const d = row[i];
    const value = d === null || d === undefined ? defaultName : escapePathValue(formatDatum(d, columns[i]!.type));
    out += `${escapePathValue(columns[i]!.name)}=${value}/`;
  }
  return out;
}

/** The partition's values by column name, from its relative directory ('dt=…/hm=…/'). */
export function partitionValues(rel: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rel.split('/')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(unescapePathValue(part.slice(0, eq)), unescapePathValue(part.slice(eq + 1)));
  }
  return out;
}

/**
 * The time (µs) a partition stands for: the pattern with each `$name` replaced by that
 * column's value, read as a timestamp ('yyyy-MM-dd[ HH:mm[:ss]]'); with no pattern, the first
 * partition column's value. Undefined when it is no timestamp (the partition is never committed).
 */
export function partitionTimeUs(rel: string, pattern: string | undefined): number | undefined {
  const values = partitionValues(rel);
  let text: string | undefined;
  if (pattern === undefined) text = values.values().next().value;
  else text = pattern.replace(/\$(\w+)/g, (_m, name: string) => values.get(name) ?? '');
  if (text === undefined) return undefined;
  try {
    return parseTimestamp(text, false);
  } catch {
    return undefined;
  }
}
