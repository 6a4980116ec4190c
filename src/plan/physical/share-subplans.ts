/**
 * shareCommonSubplans: common sub-plan sharing. Structurally equal sub-trees of a dataflow plan
 * become one node object referenced from every place it occurred, so the plan becomes a DAG
 * and the renderer (render/render-plan.ts) runs that sub-plan once per tick, handing its output
 * batch and watermarks to each consumer. Nexmark q5 reads `Reduce(count) ← WindowExpand(HOP)
 * ← bid` twice: shared, the window expansion, the group updates and the group state happen once.
 *
 * Equal means: same kind, same fields (expressions, keys, aggregates, literals compared by
 * value and type), same output column types and nullability (names are ignored: aliases do
 * not change what a node computes), and equal inputs. Every operator is a deterministic
 * function of its inputs' change history and the tick (the function registry has no volatile
 * functions), so equal sub-trees produce equal batches and one can stand for the other.
 *
 * Leaves (Get, Constant) keep their own objects: they cost nothing to run twice, and a
 * self-join keeps printing both of its inputs. Only operators above them are merged.
 *
 * The first occurrence in post-order (inputs first, left to right: the renderer's order) is
 * the one kept, so operator state positions of the kept nodes do not move (see render-plan.ts).
 * The pass is idempotent and does not modify its input.
 */
import type { DataflowNode, DataflowPlan } from './dataflow-plan.js';
import { nodeInputs } from './dataflow-plan.js';

export function shareCommonSubplans(plan: DataflowPlan): DataflowPlan {
  const ids = new Map<string, { id: number; node: DataflowNode }>();
  const memo = new Map<DataflowNode, { id: number; node: DataflowNode }>();
  const visit = (n: DataflowNode): { id: number; node: DataflowNode } => {
    const seen = memo.get(n);
    if (seen) return seen;
    const children = nodeInputs(n).map(visit);
    const key = nodeKey(n, children.map((c) => c.id));
    const found = ids.get(key);
    let result: { id: number; node: DataflowNode };
    if (found && children.length > 0) result = found;
    else {
      const node = withInputs(n, children.map((c) => c.node));
      result = { id: found ? found.id : ids.size, node };
      if (!found) ids.set(key, result);
    }
    memo.set(n, result);
    return result;
  };
  const root = visit(plan.root).node;
  return root === plan.root ? plan : { ...plan, root };
}

/** The nodes referenced from more than one place, in first-occurrence (pre-)order. */
export function sharedNodes(root: DataflowNode): DataflowNode[] {
  const count = new Map<DataflowNode, number>();
  const order: DataflowNode[] = [];
  const walk = (n: DataflowNode): void => {
    const c = count.get(n) ?? 0;
    count.set(n, c + 1);
    if (c > 0) return;
    order.push(n);
    for (const i of nodeInputs(n)) walk(i);
  };
  walk(root);
  return order.filter((n) => count.get(n)! > 1);
}

/** `n` with its inputs replaced (the same object when they are the same). */
function withInputs(n: DataflowNode, inputs: DataflowNode[]): DataflowNode {
  const old = nodeInputs(n);
  if (old.every((o, i) => o === inputs[i])) return n;
  if (n.kind === 'Join') return { ...n, left: inputs[0]!, right: inputs[1]! };
  if (n.kind === 'Union') return { ...n, inputs };
  if ('input' in n) return { ...n, input: inputs[0]! };
  return n;
}

/** The node's own fields with its inputs replaced by their ids, and its schema by types only. */
function nodeKey(n: DataflowNode, inputIds: number[]): string {
  const fields: { [k: string]: unknown } = { ...n, inputs: inputIds, schema: n.schema.map((c) => [c.type, c.nullable]) };
  delete fields.input;
  delete fields.left;
  delete fields.right;
  if (n.kind === 'Get') delete fields.name;
  return canonical(fields);
}

/**
 * An injective text for plan fields and datums: each value kind has its own prefix (a string
 * is JSON-quoted; numbers keep -0, NaN and ±Infinity apart; bigints, bytes, class instances
 * such as Numeric, Interval or Jsonb carry their class name); object keys are sorted and
 * undefined fields skipped.
 */
let opaque = 0;

function canonical(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? 'n-0' : 'n' + String(v);
    case 'bigint':
      return 'b' + v.toString();
    case 'boolean':
      return v ? 'T' : 'F';
    case 'undefined':
      return 'U';
    case 'object': {
      if (v === null) return 'N';
      if (v instanceof Uint8Array) return 'x' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
      if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
      const o = v as { [k: string]: unknown };
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort();
      // A class instance that keeps its value out of its own fields: never call two equal.
      if (keys.length === 0 && v.constructor !== Object) return '?' + String(opaque++);
      return (v.constructor?.name ?? '') + '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}';
    }
    default:
      // Functions and symbols never occur in a plan; refuse to call two of them equal.
      throw new Error(`share-subplans: unexpected ${typeof v} in a dataflow plan`);
  }
}
