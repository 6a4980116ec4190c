/**
 * Whether a dataflow plan's output only ever grows (no retractions): what a FORMAT PLAIN sink
 * needs, since a plain Kafka topic cannot take a deletion. Decided from the plan: inserts-only
 * inputs through operators that turn inserts into inserts (map/filter/project, union, window
 * expansion, the stream side of a temporal join), or an EMIT ON WINDOW CLOSE root, whose rows
 * are final.
 */
import type { DataflowNode } from './dataflow-plan.js';

export function appendOnly(n: DataflowNode, inputAppendOnly: (id: string) => boolean): boolean {
  const of = (m: DataflowNode) => appendOnly(m, inputAppendOnly);
  switch (n.kind) {
    case 'Get':
      return inputAppendOnly(n.id);
    case 'Constant':
    case 'EmitOnWindowClose':
      return true;
    case 'MapFilterProject':
    case 'WindowExpand':
    case 'FlatMap':
      return of(n.input);
    case 'Union':
      return n.inputs.every(of);
    case 'Join':
      // A temporal join's output changes only with its stream side; an inner join of two
      // insert-only inputs only gains rows.
      return n.lookup === true ? of(n.left) : n.joinKind === 'inner' && of(n.left) && of(n.right);
    default:
      return false;
  }
}
