/**
 * The composition root: opens the data directory (LevelDB), replays the catalog, and serves
 * sessions. `Weir.open` is what `weir serve` and the tests call.
 */
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CreateFunctionStmt, CreateStmt, IndexStmt } from '@pgsql/types';
import { LevelKvStore } from '../storage/level-kv-store.js';
import { MemoryKvStore } from '../storage/memory-kv-store.js';
import type { KvStore } from '../storage/kv-store.js';
import { FileSourceLog } from '../storage/file-source-log.js';
import { MemorySourceLog, type SourceLog } from '../storage/source-log.js';
import { keys, prefixRange } from '../storage/key-layout.js';
import { initParser, parseStatement } from '../sql/parser/parse.js';
import type { StoredItem } from '../catalog/catalog-item.js';
import { planCreateIndex, planCreateTable, planCreateView } from '../catalog/plan-create.js';
import { planCreateFunction } from '../catalog/plan-function.js';
import { planCreateSink, planCreateSource, planErrorsTable, planLateTable } from '../catalog/plan-source.js';
import { KAFKA_ERROR_COLUMNS } from './kafka-ingest.js';
import type { WeirStatement } from '../sql/ast/weir-ast.js';
import { connectorColumns } from './streams.js';
import { checkDataFormat } from './data-format.js';
import { Coordinator } from './coordinator.js';
import type { Session, SessionFactory } from './session-api.js';
import { WeirSession } from './session.js';

export interface WeirOptions {
  /** LevelDB directory; undefined = in memory (tests). */
  dataDir?: string;
  logger: Logger;
  /** user → password; when set, SCRAM-SHA-256 is required for those users. */
  passwords?: ReadonlyMap<string, string>;
  /** A store to use instead of opening one (tests: fault injection). */
  store?: KvStore;
  /** A source log to use instead of opening one (tests: fault injection). */
  sourceLog?: SourceLog;
}

export class Weir implements SessionFactory {
  #sessions = new Map<number, WeirSession>();

  private constructor(
    readonly coord: Coordinator,
    readonly options: WeirOptions,
  ) {}

  static async open(options: WeirOptions): Promise<Weir> {
    await initParser();
    const store: KvStore = options.store ?? (options.dataDir ? await LevelKvStore.open(options.dataDir) : new MemoryKvStore());
    try {
      await checkDataFormat(store, options.dataDir);
    } catch (e) {
      await store.close();
      throw e;
    }
    // A PLAIN Kafka source's rows: segment files beside LevelDB's own (LevelDB ignores names it did not make).
    const sourceLog: SourceLog = options.sourceLog ?? (options.dataDir ? FileSourceLog.open(join(options.dataDir, 'source-log')) : new MemorySourceLog());
    const coord = await Coordinator.open(store, sourceLog, options.logger, loadCatalog);
    return new Weir(coord, options);
  }

  async open(startup: ReadonlyMap<string, string>): Promise<Session> {
    let pid: number;
    do pid = randomInt(1, 2 ** 31 - 1);
    while (this.#sessions.has(pid));
    const session = new WeirSession(this.coord, pid, randomInt(1, 2 ** 31 - 1), startup);
    this.#sessions.set(pid, session);
    const close = session.close.bind(session);
    session.close = async () => {
      this.#sessions.delete(pid);
      await close();
    };
    return session;
  }

  passwordFor(user: string): string | undefined {
    return this.options.passwords?.get(user);
  }

  findForCancel(processId: number, secretKey: number): Session | undefined {
    const s = this.#sessions.get(processId);
    return s && s.secretKey === secretKey ? s : undefined;
  }

  async close(): Promise<void> {
    await this.coord.close();
  }
}

/** Replays the stored CREATE statements in id order, re-planning each. */
async function loadCatalog(c: Coordinator): Promise<void> {
  const utf8 = new TextDecoder();
  const stored: StoredItem[] = [];
  for await (const chunk of c.store.scan(prefixRange(keys.catalogPrefix))) {
    for (const [, v] of chunk) stored.push(JSON.parse(utf8.decode(v)) as StoredItem);
  }
  stored.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  for (const s of stored) {
    const parsed = parseStatement(s.sql);
    if (parsed.kind === 'weir') {
      replayWeirItem(c, s, parsed.ast);
      continue;
    }
    const ast = parsed.ast as Record<string, unknown>;
    switch (s.kind) {
      case 'table':
        c.catalog.add(planCreateTable(ast.CreateStmt as CreateStmt, s.id, s.sql));
        break;
      case 'view':
      case 'materialized-view': {
        const item = planCreateView(ast as never, s.id, s.sql, c.catalog);
        if (parsed.emitOnWindowClose) item.emitOnWindowClose = true;
        c.catalog.add(item);
        break;
      }
      case 'index':
        c.catalog.add(planCreateIndex(ast.IndexStmt as IndexStmt, s.id, s.sql, c.catalog));
        break;
      case 'function':
        c.catalog.add(planCreateFunction(ast.CreateFunctionStmt as CreateFunctionStmt, s.id, s.sql, c.catalog, false));
        break;
      default:
        throw new Error(`catalog item ${s.id} (${s.kind}) is not a Postgres CREATE statement`);
    }
  }
}

/** A stored CREATE SOURCE / stream CREATE TABLE / CREATE SINK. */
function replayWeirItem(c: Coordinator, s: StoredItem, ast: WeirStatement): void {
  if (ast.kind === 'CreateSource') {
    const item = planCreateSource(ast, s.id, s.sql, c.catalog, s.createdAtUs ?? 0, connectorColumns);
    c.catalog.add(item);
    if (s.lateTableId) {
      item.stream!.lateTableId = s.lateTableId;
      c.catalog.add(planLateTable(item, s.lateTableId));
    }
    if (s.errorsTableId) {
      item.stream!.errorsTableId = s.errorsTableId;
      c.catalog.add(planErrorsTable(item, s.errorsTableId, KAFKA_ERROR_COLUMNS));
    }
  } else if (ast.kind === 'CreateSink') {
    c.catalog.add(planCreateSink(ast, s.id, s.sql, c.catalog));
  } else {
    throw new Error(`catalog item ${s.id} is not a CREATE statement`);
  }
}
