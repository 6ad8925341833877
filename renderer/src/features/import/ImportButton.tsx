import type { ImportKind } from '../../../../core/csv/kinds';
import { Button } from '../../components/Button.tsx';

/** A list screen's "Import…": opens the Import / export screen for that list. */
export function ImportButton({ kind }: { kind: ImportKind }) {
  return (
    <Button data-action="open-import" onClick={() => (window.location.hash = `#/import?kind=${kind}`)}>
      Import…
    </Button>
  );
}
