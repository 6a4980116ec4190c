/**
 * Session settings (SET / SHOW / RESET): the ones clients read at startup and a few of
 * weir's. Unknown names are accepted by SET (drivers set many) and remembered per session.
 * The server's reported version is Postgres 14's: psql 15 then sends the catalog queries weir
 * answers (for a 15 server, `\d table` lists publications with generate_series in FROM,
 * which weir does not have yet); drivers see no difference that matters to them.
 */
export const VERSION = '0.1.0';
export const SERVER_VERSION = `14.0 (weir ${VERSION})`;

/** Settings reported as ParameterStatus at startup and when changed by SET. */
export const REPORTED = new Set([
  'server_version',
  'server_encoding',
  'client_encoding',
  'application_name',
  'DateStyle',
  'TimeZone',
  'integer_datetimes',
  'standard_conforming_strings',
  'IntervalStyle',
  'is_superuser',
  'session_authorization',
]);

/** Session settings that count their changes (plan-cache.ts keeps plans by the count). */
export class VersionedSettings extends Map<string, string> {
  version = 0;

  override set(key: string, value: string): this {
    this.version++;
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.version++;
    return super.delete(key);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }
}

export function defaultSettings(): VersionedSettings {
  return new VersionedSettings([
    ['server_version', SERVER_VERSION],
    ['server_version_num', '140000'],
    ['server_encoding', 'UTF8'],
    ['client_encoding', 'UTF8'],
    ['application_name', ''],
    ['DateStyle', 'ISO, MDY'],
    ['TimeZone', 'UTC'],
    ['integer_datetimes', 'on'],
    ['standard_conforming_strings', 'on'],
    ['IntervalStyle', 'postgres'],
    ['is_superuser', 'on'],
    ['search_path', 'public'],
    ['transaction_isolation', 'serializable'],
    ['extra_float_digits', '1'],
    ['max_identifier_length', '63'],
  ]);
}

/** Canonical spelling of a setting name (Postgres names are case-insensitive). */
export function canonicalSetting(name: string): string {
  const lower = name.toLowerCase();
  for (const k of defaultSettings().keys()) if (k.toLowerCase() === lower) return k;
  if (lower === 'timezone') return 'TimeZone';
  if (lower === 'datestyle') return 'DateStyle';
  return lower;
}
