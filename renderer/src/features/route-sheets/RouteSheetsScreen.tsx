import { useEffect, useMemo, useRef, useState } from 'react';
import { countText, listText } from '../../../../core/format.ts';
import type { RequestInput, RequestOutput } from '../../../../core/api/contract';
import type { Result } from '../../../../core/result';
import { addDays, localDateOf } from '../../../../core/time';
import type { ConsoleClient } from '../../api/types';
import { Icon } from '../../components/Icon.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { request, useBackendQuery, useOrgSettings } from '../forms/backend';
import { usePageSetup } from './page-setup.ts';
import { RouteSheetPage } from './RouteSheetPage.tsx';
import { defaultPaper, parseRouteSheetsHash, routeSheetsHash, type Paper, type RouteSheetsView } from './route-sheets-url.ts';
import { useNow } from '../../clock.ts';
import { RouteSheetOrderButtons } from '../assistant/OrderRouteButtons.tsx';
import './route-sheets.css';

type Answer = RequestOutput<'routeSheets:get'>;

/**
 * Daily route sheets (docs/design.md §9): choose a date and providers, preview the sheets as they will print, then
 * Print (the system or browser print dialog, with the print stylesheet) or, on the desktop, Save as PDF.
 * Every choice is in the URL hash, so Ctrl+P on the board and the export command open the same view.
 */
export function RouteSheetsScreen({ client }: { client: ConsoleClient }) {
  const settings = useOrgSettings(client);
  const providers = useBackendQuery(client, 'providers:list', { includeInactive: true }, ['roster:changed']);
  const toast = useToast();
  const [view, setView] = useState<RouteSheetsView>(() => parseRouteSheetsHash(window.location.hash));
  const paper: Paper = view.paper ?? defaultPaper(navigator.language);
  usePageSetup(paper);

  // Follow the hash (back/forward, a second Ctrl+P on the board) and keep it in step with the choices.
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash.startsWith('#/route-sheets')) setView(parseRouteSheetsHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const nowMs = useNow();
  const today = settings.data ? localDateOf(nowMs, settings.data.timeZone) : null;
  const date = view.date ?? today;
  const update = (patch: Partial<RouteSheetsView>) => {
    const next = { ...view, date, ...patch };
    setView(next);
    window.history.replaceState(window.history.state, '', routeSheetsHash(next));
  };

  const input = useMemo<RequestInput<'routeSheets:get'> | null>(
    () => (date ? { date, ...(view.providerIds ? { providerIds: view.providerIds } : {}), includeEmpty: view.includeEmpty } : null),
    [date, view.providerIds, view.includeEmpty],
  );
  const answer = useRouteSheets(client, input);
  const book = answer?.ok ? answer.value : null;
  const state = !answer ? 'loading' : answer.ok ? 'ready' : 'error';

  const print = () => window.print();
  const savePdf = async () => {
    if (!date) return;
    const r = await request(client, 'routeSheets:savePdf', { fileName: `route-sheets-${date}.pdf` });
    if (!r.ok) toast(r.error.message, 'error');
    else if (r.value.path) toast(`Saved ${r.value.path}`, 'success');
  };

  // Ctrl+P and the menu's "Print route sheets…" print what is previewed.
  const printRef = useRef(print);
  printRef.current = print;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'p') {
        e.preventDefault();
        printRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    const off = client.on('app:menuInvoked', ({ action }) => {
      if (action === 'printRouteSheets') printRef.current();
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  }, [client]);

  const roster = providers.data ?? [];
  const chosen = view.providerIds ? new Set(view.providerIds) : null;
  const toggleProvider = (id: string, on: boolean) => {
    const current = chosen ?? new Set(roster.filter((p) => p.active).map((p) => p.id));
    const next = new Set(current);
    if (on) next.add(id);
    else next.delete(id);
    const everyActive = roster.filter((p) => p.active).every((p) => next.has(p.id)) && roster.filter((p) => !p.active).every((p) => !next.has(p.id));
    update({ providerIds: everyActive ? null : roster.filter((p) => next.has(p.id)).map((p) => p.id) });
  };
  const providerSummary = chosen ? `${chosen.size} of ${roster.length}` : 'All';

  return (
    <section className="rs-screen" data-screen="route-sheets" data-state={state} data-sheet-count={book?.sheets.length ?? ''} aria-labelledby="rs-title">
      <header className="rs-controls">
        <h1 id="rs-title">Route sheets</h1>
        <div className="rs-controls__group">
          <button type="button" className="cl-icon-button" aria-label="Previous day" disabled={!date} onClick={() => date && update({ date: addDays(date, -1) })}>
            <Icon name="chevronLeft" />
          </button>
          <input
            type="date"
            className="cl-input"
            name="date"
            aria-label="Date"
            value={date ?? ''}
            onChange={(e) => {
              if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) update({ date: e.target.value });
            }}
          />
          <button type="button" className="cl-icon-button" aria-label="Next day" disabled={!date} onClick={() => date && update({ date: addDays(date, 1) })}>
            <Icon name="chevronRight" />
          </button>
        </div>
        <details className="rs-providers">
          <summary className="cl-button" data-action="choose-providers">
            Providers: {providerSummary}
          </summary>
          <div className="rs-providers__list" role="group" aria-label="Providers to print">
            <label className="cl-check">
              <input type="checkbox" checked={chosen === null} onChange={(e) => update({ providerIds: e.target.checked ? null : [] })} />
              <strong>All active providers</strong>
            </label>
            {roster.map((p) => (
              <label key={p.id} className="cl-check" data-provider-choice={p.id}>
                <input
                  type="checkbox"
                  checked={chosen ? chosen.has(p.id) : p.active}
                  onChange={(e) => toggleProvider(p.id, e.target.checked)}
                />
                {p.name}
                {p.active ? null : <span className="cl-muted"> (inactive)</span>}
              </label>
            ))}
          </div>
        </details>
        <label className="cl-check" title="Print a sheet that says “No jobs” for providers without work that day">
          <input type="checkbox" name="includeEmpty" checked={view.includeEmpty} onChange={(e) => update({ includeEmpty: e.target.checked })} />
          Include providers with no jobs
        </label>
        <label className="rs-controls__paper">
          Paper
          <select className="cl-input" name="paper" value={paper} onChange={(e) => update({ paper: e.target.value as Paper })}>
            <option value="letter">Letter</option>
            <option value="a4">A4</option>
          </select>
        </label>
        <div className="rs-controls__end">
          <button
            type="button"
            className="cl-button cl-button--primary"
            data-action="print"
            disabled={!book || book.sheets.length === 0}
            title={client.transport === 'ipc' ? 'Print (Ctrl+P)' : 'Print (Ctrl+P); choose “Save as PDF” as the printer for a file'}
            onClick={print}
          >
            <Icon name="print" /> Print…
          </button>
          {client.transport === 'ipc' ? (
            <button type="button" className="cl-button" data-action="save-pdf" disabled={!book || book.sheets.length === 0} onClick={() => void savePdf()}>
              Save as PDF…
            </button>
          ) : null}
        </div>
      </header>

      <div className="rs-notices">
        {answer && !answer.ok ? (
          <p className="cl-error" role="alert">
            Could not make the route sheets: {answer.error.message}
          </p>
        ) : null}
        {book && book.unsavedChanges > 0 ? (
          <p className="rs-notice rs-notice--warn" data-notice="unsaved">
            {countText(book.unsavedChanges, 'unsaved board change is', 'unsaved board changes are')} not on these sheets: they show the
            saved schedule. Save on the board first to print them.
          </p>
        ) : null}
        {book && book.skipped.length > 0 ? (
          <p className="rs-notice" data-notice="skipped">
            No jobs, no sheet: {listText(book.skipped.map((s) => s.name))}.
          </p>
        ) : null}
        {book && date ? <RouteSheetOrderButtons sheets={book.sheets} date={date} /> : null}
        {book && book.sheets.length === 0 ? (
          <p className="rs-notice" data-notice="nothing">
            Nothing to print for {book.dateLabel}.
          </p>
        ) : null}
      </div>

      {/* Focusable so the preview can be scrolled from the keyboard (axe scrollable-region-focusable). */}
      <div className={`rs-preview rs-paper--${paper}`} data-route-sheets="" role="region" aria-label="Route sheet preview" tabIndex={0}>
        {book ? book.sheets.map((sheet) => <RouteSheetPage key={sheet.provider.id} book={book} sheet={sheet} />) : null}
      </div>
    </section>
  );
}

/** The sheets for `input`, refreshed on every schedule, roster or draft change; null until the answer for this input. */
function useRouteSheets(client: ConsoleClient, input: RequestInput<'routeSheets:get'> | null): Result<Answer> | null {
  const key = input ? JSON.stringify(input) : null;
  const [version, setVersion] = useState(0);
  const [answer, setAnswer] = useState<{ key: string; result: Result<Answer> } | null>(null);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const offs = [client.on('schedule:changed', bump), client.on('roster:changed', bump), client.on('draft:changed', bump)];
    return () => offs.forEach((off) => off());
  }, [client]);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    void request(client, 'routeSheets:get', JSON.parse(key) as RequestInput<'routeSheets:get'>).then((result) => {
      if (live) setAnswer({ key, result });
    });
    return () => {
      live = false;
    };
  }, [client, key, version]);
  return answer && answer.key === key ? answer.result : null;
}
