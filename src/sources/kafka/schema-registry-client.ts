/**
 * SchemaRegistryClient: the writer schemas of Confluent-framed records, by id, from a
 * Confluent-compatible schema registry (`GET <url>/schemas/ids/<id>` → `{"schema": "<text>"}`;
 * Apicurio Registry serves this API under `/apis/ccompat/v7`). A schema, once fetched, is kept for
 * the life of the source (an id never changes its schema); a failed fetch is not kept, so the
 * next record with that id asks again.
 *
 * Tested against Apicurio Registry when `scripts/schema-registry.sh` can run it (see
 * test/streaming/kafka-avro.test.ts); it talks to nothing else.
 */
import { SqlError, SqlState } from '../../types/sql-error.js';

export class SchemaRegistryClient {
  readonly #base: string;
  readonly #cache = new Map<number, string>();

  constructor(
    url: string,
    readonly timeoutMs = 5000,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SqlError(SqlState.invalidParameterValue, `invalid schema.registry "${url}"`, { hint: "Give the registry's address, for example 'http://127.0.0.1:8081'." });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SqlError(SqlState.invalidParameterValue, `invalid schema.registry "${url}"`, { detail: 'Only http and https addresses are supported.' });
    }
    this.#base = url.replace(/\/+$/, '');
  }

  /** The schema's text, from the cache or the registry. Rejects with an Error whose message says why. */
  async schemaById(id: number): Promise<string> {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    const url = `${this.#base}/schemas/ids/${id}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new Error(`the schema registry at ${this.#base} did not answer: ${(e as Error).message}`);
    }
    const body = await res.text();
    if (!res.ok) throw new Error(`the schema registry answered ${res.status} for schema id ${id}: ${body.slice(0, 200)}`);
    let parsed: { schema?: unknown; schemaType?: unknown; references?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new Error(`the schema registry's answer for schema id ${id} is not JSON`);
    }
    if (parsed.schemaType !== undefined && parsed.schemaType !== 'AVRO') throw new Error(`schema id ${id} is a ${String(parsed.schemaType)} schema, not Avro`);
    if (Array.isArray(parsed.references) && parsed.references.length > 0) throw new Error(`schema id ${id} refers to other schemas, which is not supported`);
    if (typeof parsed.schema !== 'string') throw new Error(`the schema registry's answer for schema id ${id} has no schema`);
    this.#cache.set(id, parsed.schema);
    return parsed.schema;
  }
}
