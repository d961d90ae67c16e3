// A layered layout for the ledger graph (src/ui/LedgerGraph.svelte). Every transaction has one parent, so
// the DAG shown is a forest: a node's layer is its depth below the oldest ancestor shown (time flows
// left to right), and within a layer nodes sit in the order of their parents, then by arrival. Ordering
// by parent first keeps siblings together, so no two edges cross; by arrival next puts a double spend's
// first-seen (winning) sibling above the conflict. Pure: positions in abstract SVG units.

export interface DagNodeInput {
  readonly id: string;
  readonly prev: string | null;
  /** Position in first-seen order; null (not received) sorts first, before anything that came after. */
  readonly arrival: number | null;
}

export interface PlacedNode {
  readonly id: string;
  /** The parent if it is shown (it is then one layer to the left), else null. */
  readonly parent: string | null;
  readonly layer: number;
  readonly row: number;
  readonly x: number;
  readonly y: number;
}

export interface DagLayout {
  readonly placed: PlacedNode[];
  readonly byId: ReadonlyMap<string, PlacedNode>;
  /** Extent of the drawing, margins included: a viewBox of `0 0 width height` shows all of it. */
  readonly width: number;
  readonly height: number;
}

export interface DagLayoutOptions {
  readonly layerGap?: number;
  readonly rowGap?: number;
  readonly margin?: number;
}

export function layoutDag(nodes: readonly DagNodeInput[], options: DagLayoutOptions = {}): DagLayout {
  const { layerGap = 90, rowGap = 48, margin = 32 } = options;
  const byInputId = new Map(nodes.map((node) => [node.id, node]));
  const layers = new Map<string, number>();

  const layerOf = (start: DagNodeInput): number => {
    // Walk up to the oldest shown ancestor (or one already placed), then number the way back down.
    const chain: DagNodeInput[] = [];
    const onChain = new Set<string>();
    let node: DagNodeInput | undefined = start;
    while (node !== undefined && !layers.has(node.id) && !onChain.has(node.id)) {
      chain.push(node);
      onChain.add(node.id);
      node = node.prev === null ? undefined : byInputId.get(node.prev);
    }
    // A cycle cannot come from real ids (each is a hash of its parent's id); if one did, it starts at 0.
    let depth = node !== undefined && layers.has(node.id) ? layers.get(node.id)! + 1 : 0;
    for (let i = chain.length - 1; i >= 0; i--) layers.set(chain[i]!.id, depth++);
    return layers.get(start.id)!;
  };

  const grouped: DagNodeInput[][] = [];
  for (const node of nodes) (grouped[layerOf(node)] ??= []).push(node);

  const arrivalOf = (node: DagNodeInput) => node.arrival ?? -1;
  const rows = new Map<string, number>();
  const placed: PlacedNode[] = [];
  for (const [layer, members = []] of grouped.entries()) {
    const parentRow = (node: DagNodeInput) =>
      node.prev !== null && layers.get(node.prev) === layer - 1 ? rows.get(node.prev)! : -1;
    members.sort(
      (a, b) =>
        parentRow(a) - parentRow(b) ||
        arrivalOf(a) - arrivalOf(b) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    for (const [row, node] of members.entries()) {
      rows.set(node.id, row);
      const parent = node.prev !== null && layers.get(node.prev) === layer - 1 ? node.prev : null;
      placed.push({
        id: node.id,
        parent,
        layer,
        row,
        x: margin + layer * layerGap,
        y: margin + row * rowGap,
      });
    }
  }
  const layerCount = grouped.length;
  const rowCount = Math.max(0, ...grouped.map((members) => members?.length ?? 0));
  return {
    placed,
    byId: new Map(placed.map((node) => [node.id, node])),
    width: 2 * margin + Math.max(0, layerCount - 1) * layerGap,
    height: 2 * margin + Math.max(0, rowCount - 1) * rowGap,
  };
}

export type DagStep = 'parent' | 'child' | 'up' | 'down';

/**
 * Where keyboard navigation goes from node `id`: to its parent, its first child, or the node above or
 * below it in its layer. Undefined when there is none (the caller stays put).
 */
export function stepInLayout(layout: DagLayout, id: string, step: DagStep): string | undefined {
  const from = layout.byId.get(id);
  if (from === undefined) return undefined;
  if (step === 'parent') return from.parent ?? undefined;
  if (step === 'child') {
    const children = layout.placed.filter((node) => node.parent === id);
    return children.sort((a, b) => a.row - b.row)[0]?.id;
  }
  const row = from.row + (step === 'up' ? -1 : 1);
  return layout.placed.find((node) => node.layer === from.layer && node.row === row)?.id;
}
