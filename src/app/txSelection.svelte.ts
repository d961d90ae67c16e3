// Which transaction's detail is open. The history list, the ledger graph and the detail dialog all
// share it; a page runs one node, so one selection per page is enough and no component has to thread a
// callback through App.svelte (as src/app/sendPrefill.svelte.ts does for the send form).
class TxSelection {
  /** The id whose detail is shown, or null when the detail is closed. */
  id = $state<string | null>(null);

  open(id: string): void {
    this.id = id;
  }

  close(): void {
    this.id = null;
  }
}

export const txSelection = new TxSelection();
