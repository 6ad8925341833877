import type { ImportKind } from '../../../../core/csv/kinds';

/** A list screen's "Import…": opens the Import / export screen for that list. */
export function ImportButton({ kind }: { kind: ImportKind }) {
  return (
    <button type="button" className="adm-button" data-action="open-import" onClick={() => (window.location.hash = `#/import?kind=${kind}`)}>
      Import…
    </button>
  );
}
