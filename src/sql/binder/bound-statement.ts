/**
 * What the binder produces for the statements that read or write data: plans plus the
 * facts the adapter needs to execute them. DDL and session statements are handled by the
 * adapter directly from the AST.
 */
import type { Finishing, LogicalPlan } from '../../plan/logical-plan.js';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import type { Schema, SqlType } from '../../types/sql-type.js';

export type BoundStatement =
  | {
      kind: 'Select';
      plan: LogicalPlan;
      /** Sort/limit/offset/project applied to the plan's output to give the result. */
      finishing: Finishing;
      /** The result columns (after finishing.project). */
      schema: Schema;
      /** Types of `$n` parameters, index 0 = $1 (inferred where the client sent none). */
      paramTypes: SqlType[];
    }
  | {
      kind: 'Insert';
      tableId: string;
      /** Produces full rows of the table (defaults filled, casts to column types applied). */
      plan: LogicalPlan;
      /** RETURNING, evaluated on each inserted row; columns named by `returningSchema`. */
      returning?: ScalarExpr[];
      returningSchema?: Schema;
      paramTypes: SqlType[];
    }
  | {
      kind: 'Update';
      tableId: string;
      /** Produces, for each row to update: the old row's columns then the new row's columns. */
      plan: LogicalPlan;
      /** RETURNING, evaluated on each new row (the table's columns, not old ++ new). */
      returning?: ScalarExpr[];
      returningSchema?: Schema;
      paramTypes: SqlType[];
    }
  | {
      kind: 'Delete';
      tableId: string;
      /** Produces the full rows to delete. */
      plan: LogicalPlan;
      /** RETURNING, evaluated on each deleted row. */
      returning?: ScalarExpr[];
      returningSchema?: Schema;
      paramTypes: SqlType[];
    };
