// Graph walking: ordered inputs, cycles (including hostile sizes), dependants and Kahn order.
import { describe, expect, it } from 'vitest';
import type { Graph, GraphEdge } from '../../shared/graph/schema';
import {
  allDependants,
  downstreamIds,
  edgesInto,
  findCycles,
  incomingEdges,
  topoOrder,
  upstreamIds,
  withAncestors,
} from '../../shared/graph/topology';

const e = (source: string, target: string, targetPort = 'in', order?: number): GraphEdge => ({
  source,
  sourcePort: 'out',
  target,
  targetPort,
  ...(order === undefined ? {} : { order }),
});
const graphOf = (ids: string[], edges: GraphEdge[]): Graph => ({
  format: 'shotgraph',
  version: 2,
  name: 't',
  nodes: ids.map((id) => ({ id, type: 'shot', params: {} })),
  edges,
});
const chain = (n: number, closed: boolean): Graph => {
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  const edges = ids.slice(1).map((id, i) => e(ids[i]!, id));
  if (closed) edges.push(e(ids[n - 1]!, ids[0]!));
  return graphOf(ids, edges);
};

describe('findCycles', () => {
  it('finds none in a DAG', () => {
    expect(findCycles(graphOf(['a', 'b', 'c'], [e('a', 'b'), e('a', 'c'), e('b', 'c')]))).toEqual([]);
  });

  it('finds a cycle with all its nodes, a self-loop, and separate cycles separately', () => {
    const g = graphOf(
      ['a', 'b', 'c', 'd', 'x'],
      [e('a', 'b'), e('b', 'c'), e('c', 'a'), e('d', 'd'), e('x', 'a')],
    );
    const cycles = findCycles(g).map((c) => [...c].sort());
    expect(cycles).toHaveLength(2);
    expect(cycles).toContainEqual(['a', 'b', 'c']);
    expect(cycles).toContainEqual(['d']);
  });

  it('ignores edges to or from missing nodes', () => {
    expect(findCycles(graphOf(['a'], [e('a', 'ghost'), e('ghost', 'a')]))).toEqual([]);
  });

  it('walks a 5,000-node chain without overflowing the stack', () => {
    expect(findCycles(chain(5000, false))).toEqual([]);
    const ring = findCycles(chain(5000, true));
    expect(ring).toHaveLength(1);
    expect(ring[0]).toHaveLength(5000);
  });
});

describe('incomingEdges', () => {
  it('sorts a multi port by order, then by file order', () => {
    const g = graphOf(
      ['a', 'b', 'c', 'd', 's'],
      [e('a', 's', 'refs', 2), e('b', 's', 'refs'), e('c', 's', 'refs', 0), e('d', 's', 'other')],
    );
    expect(incomingEdges(g, 's', 'refs').map((x) => x.source)).toEqual(['c', 'b', 'a']);
    expect(incomingEdges(g, 's').map((x) => x.source)).toContain('d');
  });
});

describe('edgesInto', () => {
  // A film-shaped graph with multi ports, explicit and missing orders, duplicate wires and a
  // wire to a node that is not there: every node's and port's inputs must come out exactly as
  // incomingEdges, the one-at-a-time scan, gives them.
  const ids = Array.from({ length: 40 }, (_, i) => `n${i}`);
  const edges: GraphEdge[] = [];
  for (let i = 1; i < ids.length; i++) {
    edges.push(e(ids[i - 1]!, ids[i]!, 'first'));
    edges.push(e(ids[(i * 7) % i]!, ids[i]!, 'refs', i % 3 === 0 ? undefined : (i * 5) % 4));
    edges.push(e(ids[(i * 3) % i]!, ids[i]!, 'refs', i % 2 ? 1 : undefined));
    edges.push(e(ids[i]!, 'cut', 'clips', ids.length - i));
  }
  edges.push(e('n1', 'n2', 'first'), e('n3', 'ghost', 'refs'));
  const g = graphOf([...ids, 'cut'], edges);

  it('gives every node and port the same edges, in the same order, as incomingEdges', () => {
    const into = edgesInto(g);
    for (const target of [...ids, 'cut', 'ghost', 'nobody']) {
      expect(into(target)).toEqual(incomingEdges(g, target));
      for (const port of ['first', 'refs', 'clips', 'none'])
        expect(into(target, port)).toEqual(incomingEdges(g, target, port));
    }
    expect(into('cut', 'clips')).toHaveLength(ids.length - 1);
  });

  it('sorts a multi port by order, then by file order', () => {
    const h = graphOf(
      ['a', 'b', 'c', 's'],
      [e('a', 's', 'refs', 2), e('b', 's', 'refs'), e('c', 's', 'refs', 0)],
    );
    expect(edgesInto(h)('s', 'refs').map((x) => x.source)).toEqual(['c', 'b', 'a']);
  });
});

describe('walking', () => {
  const g = graphOf(
    ['p', 'img', 's1', 's2', 'cut'],
    [e('p', 's1'), e('img', 's1'), e('s1', 's2'), e('s1', 'cut'), e('s2', 'cut')],
  );
  it('lists neighbours, dependants and ancestors', () => {
    expect(upstreamIds(g, 's1').sort()).toEqual(['img', 'p']);
    expect(downstreamIds(g, 's1').sort()).toEqual(['cut', 's2']);
    expect([...allDependants(g, 'p')].sort()).toEqual(['cut', 's1', 's2']);
    expect([...withAncestors(g, 's2')].sort()).toEqual(['img', 'p', 's1', 's2']);
  });

  it('orders nodes so every edge points forward', () => {
    const order = topoOrder(g);
    expect(order.sort()).toEqual(['cut', 'img', 'p', 's1', 's2']);
    const pos = new Map(topoOrder(g).map((id, i) => [id, i]));
    for (const edge of g.edges) expect(pos.get(edge.source)!).toBeLessThan(pos.get(edge.target)!);
  });

  it('orders a 5,000-node chain', () => {
    expect(topoOrder(chain(5000, false))).toHaveLength(5000);
  });

  it('orders ready nodes by file order, then as their wires are met (Kahn, breadth first)', () => {
    const h = graphOf(
      ['c', 'a', 'b', 'd', 'e'],
      [e('a', 'd'), e('c', 'e'), e('b', 'd'), e('a', 'e'), e('a', 'ghost')],
    );
    expect(topoOrder(h)).toEqual(['c', 'a', 'b', 'e', 'd']);
    // Two wires between the same nodes count twice.
    expect(topoOrder(graphOf(['x', 'y'], [e('x', 'y'), e('x', 'y', 'other')]))).toEqual(['x', 'y']);
  });

  it('counts a node on a cycle through it among its own dependants, not its ancestors', () => {
    const ring = graphOf(['a', 'b'], [e('a', 'b'), e('b', 'a')]);
    expect([...allDependants(ring, 'a')].sort()).toEqual(['a', 'b']);
    expect([...withAncestors(ring, 'a')].sort()).toEqual(['a', 'b']);
  });

  it('walks dependants and ancestors of a 5,000-node chain', () => {
    const long = chain(5000, false);
    expect(allDependants(long, 'n0').size).toBe(4999);
    expect(withAncestors(long, 'n4999').size).toBe(5000);
  });
});
