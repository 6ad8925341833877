import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SuggestResult } from '../../../../core/assistant/suggest.ts';
import { toMs } from '../../../../core/time.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import type { BoardStore } from '../board/board-store.ts';
import { fmtDate, fmtTimeRange } from '../board/time-format.ts';
import { INITIAL_PICK, moveActive, optionsOf, pick, type PickState } from './suggest-model.ts';
import '../../styles/assistant-suggest.css';

interface SuggestPanelProps {
  store: BoardStore;
  bookingId: string;
  /** Where a job without a date is planned: the day the board shows. */
  day: string;
  zone: string;
}

/** The key that opens this panel on the selected job (board-actions.ts). */
export const SUGGEST_KEY = 'S';

/**
 * "Suggest a technician" (issue #19): every provider ranked for one job by the backend's
 * `assistant:suggest`, best first, with each score's reason. Up/Down move, Enter or a click stages the
 * choice on the board (the dispatcher Saves as usual). A provider who breaks a hard rule is listed last
 * with the engine's reasons and is staged only on a second Enter or click on the same row.
 */
export function SuggestPanel({ store, bookingId, day, zone }: SuggestPanelProps) {
  const client = useClient();
  const [result, setResult] = useState<SuggestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<PickState>(INITIAL_PICK);
  const [staging, setStaging] = useState(false);

  useEffect(() => {
    let live = true;
    void client.request('assistant:suggest', { id: bookingId, day }).then((r) => {
      if (!live) return;
      if (r.ok) setResult(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, bookingId, day]);

  const options = useMemo(() => (result ? optionsOf(result) : []), [result]);
  // The list arrives after the dialog opened (focus on its Close button): the keys go to the list.
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (result) listRef.current?.focus();
  }, [result]);
  const close = () => store.closeAssistant();

  const choose = async (index?: number) => {
    if (staging) return;
    const next = pick(state, options, index);
    setState(next.state);
    if (next.outcome.kind !== 'stage') return;
    setStaging(true);
    const staged = await store.stage(bookingId, next.outcome.slot);
    setStaging(false);
    if (staged) close();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // The board's own keys (arrows, Enter, D, W…) wait while the panel is open; Ctrl shortcuts still work.
    if (!e.ctrlKey && !e.metaKey) e.stopPropagation();
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setState((s) => moveActive(s, options.length, e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void choose();
    }
  };

  const optionId = (key: string) => `cl-suggest-${key}`;
  const active = options[state.active];
  const confirming = state.confirming ? options.find((o) => o.key === state.confirming) : undefined;
  const when = (start: string, end: string) => fmtTimeRange(toMs(start), toMs(end), zone);

  return (
    <Dialog name="suggest" title="Suggest a technician" onClose={close} className="cl-suggest">
      <div onKeyDown={onKeyDown}>
        {error ? (
          <p className="cl-error" role="alert" data-suggest-error="">
            {error}
          </p>
        ) : null}
        {!result && !error ? <p className="cl-muted">Ranking technicians…</p> : null}
        {result ? (
          <>
            <p className="cl-suggest__job" data-suggest-time={result.time.kind}>
              <strong>{result.title}</strong>
              {' · '}
              {result.time.kind === 'kept'
                ? `keeps its time, ${fmtDate(toMs(result.time.start), zone)}`
                : `no date: planned on ${fmtDate(toMs(`${result.time.day}T12:00:00Z`), zone)}, each technician's best free start`}
              {' · '}
              {result.durationMinutes} min{result.teamSize > 1 ? ` · needs ${result.teamSize} people` : ''}
            </p>
            {result.teamSize > 1 && result.crewReason ? <p className="cl-muted cl-small" data-crew-reason="">{result.crewReason}</p> : null}
            <ul
              className="cl-suggest__list"
              role="listbox"
              aria-label="Technicians, best first"
              tabIndex={0}
              ref={listRef}
              aria-activedescendant={active ? optionId(active.key) : undefined}
              aria-busy={staging}
            >
              {options.map((o, i) => (
                <li
                  key={o.key}
                  id={optionId(o.key)}
                  role="option"
                  aria-selected={i === state.active}
                  className={`cl-suggest__option${i === state.active ? ' is-active' : ''}${o.ok ? '' : ' is-ruled-out'}`}
                  data-suggest-option={o.kind}
                  data-provider-id={o.kind === 'provider' ? o.key : undefined}
                  data-assignees={o.slot.assignees.join(' ')}
                  data-ok={o.ok ? 'true' : 'false'}
                  onMouseEnter={() => setState((s) => (s.active === i ? s : { active: i, confirming: s.confirming === o.key ? s.confirming : null }))}
                  onClick={() => void choose(i)}
                >
                  <div className="cl-suggest__head">
                    <span className="cl-suggest__name">{o.label}</span>
                    <span className="cl-suggest__when">{when(o.slot.start, o.slot.end)}</span>
                    {o.current ? <span className="cl-chip">on the job</span> : null}
                    {o.ok ? null : <span className="cl-chip cl-suggest__rule">breaks a rule</span>}
                  </div>
                  <ul className="cl-suggest__reasons">
                    {o.hardReasons.map((r) => (
                      <li key={`hard:${r}`} className="cl-suggest__hard">
                        {r}
                      </li>
                    ))}
                    {o.reasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            {confirming ? (
              <p className="cl-suggest__confirm" role="alert" data-suggest-confirm="">
                {confirming.label} breaks a rule ({confirming.hardReasons[0]}). Press Enter again, or click again, to assign anyway.
              </p>
            ) : null}
            <p className="cl-muted cl-small cl-suggest__keys">
              ↑/↓ move · Enter or click assigns (staged: Save as usual) · Esc closes · {SUGGEST_KEY} on a selected job opens this list
            </p>
          </>
        ) : null}
      </div>
    </Dialog>
  );
}
