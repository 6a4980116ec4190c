/**
 * printDataflowPlan: the dataflow plan as indented text, one node per line (EXPLAIN PHYSICAL):
 *
 *   Reduce group=[#0] aggs=[count(*):accumulable, min(#1):hierarchical]
 *     MapFilterProject map=[(#0 int4_add 1)] filter=[#2 int4_gt 0 @1] project=[#0, #2]
 *       Get t (u1)
 *
 * Columns print as `#i` (the node's input row); calls as `fn(args)`. Join keys print as
 * `l = r`, or `l IS NOT DISTINCT FROM r` for a null-safe key (NULL matches NULL).
 *
 * The plan printed is the one that runs: common sub-plans shared (share-subplans.ts). A shared
 * node prints in full where it first occurs, marked `shared=%k`; every later occurrence is one
 * line, `Reuse %k`.
 */
import { assertNever } from '../../util/assert-never.js';
import { durationText } from '../../util/time-windows.js';
import type { ScalarExpr } from '../scalar-expr.js';
import type { SortKey } from '../logical-plan.js';
import { printDatum } from '../print-plan.js';
import { windowCallText } from '../window-call.js';
import { nodeInputs, type DataflowNode, type DataflowPlan } from './dataflow-plan.js';
import { shareCommonSubplans, sharedNodes } from './share-subplans.js';

export function printDataflowPlan(p: DataflowPlan): string {
  const lines: string[] = [];
  const root = shareCommonSubplans(p).root;
  const labels = new Map(sharedNodes(root).map((n, i) => [n, i + 1]));
  printNode(root, 0, lines, labels, new Set());
  return lines.join('\n');
}

function printNode(n: DataflowNode, depth: number, lines: string[], labels: Map<DataflowNode, number>, printed: Set<DataflowNode>): void {
  const pad = '  '.repeat(depth);
  const label = labels.get(n);
  if (label !== undefined && printed.has(n)) {
    lines.push(`${pad}Reuse %${label}`);
    return;
  }
  printed.add(n);
  const list = (es: ScalarExpr[]): string => '[' + es.map(scalarText).join(', ') + ']';
  let line: string;
  switch (n.kind) {
    case 'Get':
      line = `Get ${n.name} (${n.id})`;
      break;
    case 'Constant':
      line = `Constant rows=${n.rows.length}`;
      break;
    case 'MapFilterProject': {
      const m = n.mfp;
      const parts = ['MapFilterProject'];
      if (m.exprs.length > 0) parts.push(`map=${list(m.exprs)}`);
      if (m.predicates.length > 0) parts.push('filter=[' + m.predicates.map((p) => `${scalarText(p.expr)} @${p.after}`).join(', ') + ']');
      parts.push('project=[' + m.projection.map((c) => `#${c}`).join(', ') + ']');
      line = parts.join(' ');
      break;
    }
    case 'Join': {
      const keys = n.leftKey.length === 0 ? 'cross' : 'keys=' + n.leftKey.map((l, i) => `${scalarText(l)} ${n.nullSafe[i] ? 'IS NOT DISTINCT FROM' : '='} ${scalarText(n.rightKey[i]!)}`).join(', ');
      const tb = n.timeBounds;
      const bounds = tb
        ? ` interval: right#${tb.rightColumn} - left#${tb.leftColumn} in [${tb.lowerUs === null ? '-inf' : durationText(tb.lowerUs)}, ${tb.upperUs === null ? 'inf' : durationText(tb.upperUs)}]`
        : '';
      line = `${n.lookup ? 'LookupJoin' : 'Join'} ${n.joinKind} ${keys}` + (n.residual ? ` residual=${scalarText(n.residual)}` : '') + bounds + ' arrangements=2';
      break;
    }
    case 'Reduce':
      line =
        `Reduce group=[${n.groupKey.map((c) => `#${c}`).join(', ')}] aggs=[` +
        n.aggregates
          .map((a) => {
            const args = a.fn === 'count_star' ? '*' : (a.distinct ? 'distinct ' : '') + a.args.map(scalarText).join(', ');
            const ob = a.orderBy.length > 0 ? ` order by ${sortText(a.orderBy)}` : '';
            const f = a.filter ? ` filter ${scalarText(a.filter)}` : '';
            return `${a.fn === 'count_star' ? 'count' : a.fn}(${args}${ob})${f}:${a.reduceKind}`;
          })
          .join(', ') +
        ']';
      break;
    case 'Distinct':
      line = 'Distinct';
      break;
    case 'TopK':
      line =
        `TopK group=[${n.groupKey.map((c) => `#${c}`).join(', ')}] order=[${sortText(n.order)}]` +
        (n.limit !== null ? ` limit=${n.limit}` : '') +
        (n.offset > 0 ? ` offset=${n.offset}` : '') +
        (n.rankColumn ? ' rank' : '') +
        (n.ranking && n.ranking !== 'row_number' ? ` ${n.ranking}` : '');
      break;
    case 'Union':
      line = 'Union';
      break;
    case 'Negate':
      line = 'Negate';
      break;
    case 'Threshold':
      line = 'Threshold';
      break;
    case 'EmitOnWindowClose':
      line = 'EmitOnWindowClose';
      break;
    case 'TemporalFilter':
      line =
        'TemporalFilter ' +
        n.bounds
          .map((b) => `now ${b.kind === 'lower' ? '>=' : '<'} ${scalarText(b.expr)}${b.offsetUs !== 0 ? ` ${b.offsetUs < 0 ? '-' : '+'} ${durationText(Math.abs(b.offsetUs))}` : ''}`)
          .join(' and ');
      break;
    case 'WindowExpand':
      line =
        `WindowExpand ${n.windowKind} time=#${n.timeColumn} ${n.windowKind === 'hop' ? 'slide' : 'step'}=${durationText(n.slideUs)} size=${durationText(n.sizeUs)}` +
        (n.offsetUs !== 0 ? ` offset=${durationText(n.offsetUs)}` : '');
      break;
    case 'FlatMap':
      line = `FlatMap (${n.exprs.map(scalarText).join(', ')})`;
      break;
    case 'Window':
      line = `Window partition=[${n.partitionKey.map((c) => `#${c}`).join(', ')}] order=[${sortText(n.order)}] calls=[${n.calls.map((c) => windowCallText(c, scalarText)).join(', ')}]${n.closeAfter !== undefined ? ` close_after=${n.closeAfter}` : ''}`;
      break;
    case 'SessionWindow':
      line = `SessionWindow partition=[${n.partitionKey.map((c) => `#${c}`).join(', ')}] time=#${n.timeColumn} gap=${durationText(n.gapUs)}`;
      break;
    default:
      return assertNever(n, 'dataflow node');
  }
  lines.push(pad + line + (label !== undefined ? ` shared=%${label}` : ''));
  for (const i of nodeInputs(n)) printNode(i, depth + 1, lines, labels, printed);
}

function sortText(keys: SortKey[]): string {
  return keys.map((k) => scalarText(k.expr) + (k.desc ? ' desc' : '') + (k.nullsFirst !== k.desc ? (k.nullsFirst ? ' nulls first' : ' nulls last') : '')).join(', ');
}

export function scalarText(e: ScalarExpr): string {
  switch (e.kind) {
    case 'Column':
      return `#${e.index}`;
    case 'Literal':
      return printDatum(e.value, e.type);
    case 'Param':
      return `$${e.index}`;
    case 'Call':
      return `${e.fn}(${e.args.map(scalarText).join(', ')})`;
    case 'Cast':
      return `${scalarText(e.expr)}::${e.type.kind}`;
    case 'And':
      return '(' + e.args.map(scalarText).join(' AND ') + ')';
    case 'Or':
      return '(' + e.args.map(scalarText).join(' OR ') + ')';
    case 'Not':
      return `NOT ${scalarText(e.arg)}`;
    case 'IsNull':
      return `${scalarText(e.arg)} IS NULL`;
    case 'Case':
      return 'CASE ' + e.whens.map((w) => `WHEN ${scalarText(w.cond)} THEN ${scalarText(w.result)}`).join(' ') + ` ELSE ${scalarText(e.else)} END`;
    case 'Coalesce':
      return `coalesce(${e.args.map(scalarText).join(', ')})`;
    case 'Unmaterializable':
      return `${e.fn}()`;
    case 'ArrayMap':
      return `array_map(${scalarText(e.array)}, #0 => ${scalarText(e.body)})`;
    default:
      return assertNever(e, 'scalar expression');
  }
}
