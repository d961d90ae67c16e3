// The graph's layered layout (src/ui/layoutDag.ts): layers are depths below the oldest shown ancestor,
// rows follow parents then arrival, and the extent covers every node.
import { describe, expect, it } from 'vitest';
import { layoutDag, stepInLayout, type DagNodeInput } from '../../src/ui/layoutDag.ts';

const node = (id: string, prev: string | null, arrival: number | null): DagNodeInput => ({
  id,
  prev,
  arrival,
});
const grid = (layout: ReturnType<typeof layoutDag>) =>
  Object.fromEntries(layout.placed.map((p) => [p.id, [p.layer, p.row]]));

describe('layoutDag', () => {
  it('puts each node one layer after its parent, roots (shown or not) at layer 0', () => {
    // g → a → c;  g → b;  x's parent is not shown, so x is a root of its own.
    const layout = layoutDag([
      node('c', 'a', 3),
      node('a', 'g', 1),
      node('b', 'g', 2),
      node('g', null, 0),
      node('x', 'zz', 4),
    ]);
    expect(grid(layout)).toEqual({ g: [0, 0], x: [0, 1], a: [1, 0], b: [1, 1], c: [2, 0] });
  });

  it('orders a layer by parent first, then by arrival, so no two edges cross', () => {
    // p1 came before p2, but p2's child q arrived before p1's child r: r still goes above q.
    const layout = layoutDag([
      node('root', null, 0),
      node('p1', 'root', 1),
      node('p2', 'root', 2),
      node('q', 'p2', 3),
      node('r', 'p1', 4),
      node('r2', 'p1', 5),
    ]);
    expect(grid(layout)).toEqual({ root: [0, 0], p1: [1, 0], p2: [1, 1], r: [2, 0], r2: [2, 1], q: [2, 2] });
  });

  it('puts a missing parent (arrival null) before the received roots', () => {
    const layout = layoutDag([node('a', null, 0), node('orphan', 'missing', 7), node('missing', null, null)]);
    expect(grid(layout)).toEqual({ missing: [0, 0], a: [0, 1], orphan: [1, 0] });
  });

  it('places nodes on a grid of the given gaps and reports the extent', () => {
    const layout = layoutDag([node('a', null, 0), node('b', 'a', 1), node('c', 'a', 2)], {
      layerGap: 100,
      rowGap: 10,
      margin: 5,
    });
    expect(layout.byId.get('a')).toMatchObject({ x: 5, y: 5 });
    expect(layout.byId.get('c')).toMatchObject({ x: 105, y: 15 });
    expect([layout.width, layout.height]).toEqual([110, 20]);
    for (const p of layout.placed) {
      expect(p.x).toBeLessThanOrEqual(layout.width);
      expect(p.y).toBeLessThanOrEqual(layout.height);
    }
  });

  it('lays out nothing as an empty drawing, and survives a cycle', () => {
    expect(layoutDag([])).toMatchObject({ placed: [], width: 64, height: 64 });
    const layout = layoutDag([node('a', 'b', 0), node('b', 'a', 1)]);
    expect(layout.placed).toHaveLength(2);
  });

  it('steps between nodes for the keyboard: parent, first child, up and down a layer', () => {
    const layout = layoutDag([
      node('root', null, 0),
      node('p1', 'root', 1),
      node('p2', 'root', 2),
      node('q', 'p2', 3),
      node('r', 'p1', 4),
    ]);
    expect(stepInLayout(layout, 'q', 'parent')).toBe('p2');
    expect(stepInLayout(layout, 'root', 'parent')).toBeUndefined();
    expect(stepInLayout(layout, 'root', 'child')).toBe('p1');
    expect(stepInLayout(layout, 'q', 'child')).toBeUndefined();
    expect(stepInLayout(layout, 'p1', 'down')).toBe('p2');
    expect(stepInLayout(layout, 'p1', 'up')).toBeUndefined();
    expect(stepInLayout(layout, 'q', 'up')).toBe('r');
    expect(stepInLayout(layout, 'nowhere', 'up')).toBeUndefined();
    // A parent that is not shown (or not one layer left) is no step.
    const cut = layoutDag([node('x', 'hidden', 0)]);
    expect(cut.placed[0]!.parent).toBeNull();
  });
});
