/**
 * The AST of weir's own statements (parsed by the peggy grammar in grammar/). Postgres
 * statements keep libpg-query's AST (the Postgres parse tree as JSON, typed by @pgsql/types).
 */
export type QualifiedName = string[];

export type ShowObjectType =
  | 'tables'
  | 'views'
  | 'materialized-views'
  | 'sources'
  | 'sinks'
  | 'indexes'
  | 'schemas'
  | 'databases';

export type ShowCreateType = 'table' | 'view' | 'materialized-view' | 'source';

export type ExplainStage = 'logical' | 'optimized' | 'physical';

export type WeirStatement =
  | { kind: 'Explain'; stage: ExplainStage; query: string }
  | { kind: 'ExplainView'; stage: ExplainStage; materialized: boolean; name: QualifiedName }
  | { kind: 'ShowObjects'; objectType: ShowObjectType; from?: string }
  | { kind: 'ShowColumns'; relation: QualifiedName }
  | { kind: 'ShowCreate'; objectType: ShowCreateType; name: QualifiedName }
  /** RisingWave's FLUSH: make the writes before it visible (weir: commit the batch's gathered writes). */
  | { kind: 'Flush' };

export type WeirStatementKind = WeirStatement['kind'];
