import { countText } from '../../../../core/format.ts';
import { Icon, type IconName } from '../../components/Icon.tsx';
import { RangePicker } from './RangePicker.tsx';

export type BoardViewKind = 'day' | 'week' | 'range' | 'load';

interface BoardHeaderProps {
  title: string;
  kind: BoardViewKind;
  /** First and last visible local dates (inclusive). */
  firstDay: string;
  lastDay: string;
  stagedCount: number;
  /** A Save is under way: its edits stay staged until it answers. */
  saving: boolean;
  /** A viewer's console (or one too old for the documents): the editing controls are left out and a badge says why. */
  readOnly: boolean;
  readOnlyWhy: string;
  autoResize: boolean;
  providerFilter: { id: string; name: string } | null;
  onDay: () => void;
  onWeek: () => void;
  onWeekLoad: () => void;
  onToday: () => void;
  onPrev: () => void;
  onNext: () => void;
  onRange: (first: string, last: string) => void;
  onAutoResize: (on: boolean) => void;
  onSave: () => void;
  onDiscard: () => void;
  onUndo: () => void;
  onRedo: () => void;
  onSendDay: () => void;
  onSearch: () => void;
  onNewBooking: () => void;
  onRouteSheets: () => void;
  onClearProviderFilter: () => void;
}

/** The board's toolbar: navigation, date range, Auto-resize, bulk send, undo/redo and the staged-changes Save. */
/** Why a viewer's board is read-only. */
export const VIEWER_READ_ONLY = 'Your role is viewer: you can see the schedule but not change it. An admin can change your role.';

export function BoardHeader(props: BoardHeaderProps) {
  const { title, kind, firstDay, lastDay, stagedCount } = props;

  return (
    <header className="cl-board-header" data-board-header="">
      <div className="cl-board-header__group">
        <button type="button" className="cl-button" data-action="today" title="Today (T)" onClick={props.onToday}>
          Today
        </button>
        <div className="cl-segmented" role="group" aria-label="View">
          <button type="button" className={`cl-button${kind === 'day' ? ' is-active' : ''}`} aria-pressed={kind === 'day'} data-action="day-view" title="Day view (D)" onClick={props.onDay}>
            Day
          </button>
          <button type="button" className={`cl-button${kind === 'week' ? ' is-active' : ''}`} aria-pressed={kind === 'week'} data-action="week-view" title="Week view (W)" onClick={props.onWeek}>
            Week
          </button>
          <button
            type="button"
            className={`cl-button${kind === 'load' ? ' is-active' : ''}`}
            aria-pressed={kind === 'load'}
            data-action="week-load-view"
            // "Week load" spelled out does not fit the toolbar's one row at 1280 px (e2e/board-range.spec.ts).
            aria-label="Week load"
            title="Week load: each technician's booked share of their hours, day by day (L)"
            onClick={props.onWeekLoad}
          >
            Load
          </button>
        </div>
        <button type="button" className="cl-icon-button" aria-label="Previous" data-action="prev" onClick={props.onPrev}>
          <Icon name="chevronLeft" />
        </button>
        <button type="button" className="cl-icon-button" aria-label="Next" data-action="next" onClick={props.onNext}>
          <Icon name="chevronRight" />
        </button>
        <RangePicker title={title} firstDay={firstDay} lastDay={lastDay} onRange={props.onRange} />
      </div>

      <div className="cl-board-header__group">
        {props.readOnly ? (
          <span className="cl-chip cl-chip--view-only" data-view-only="" title={props.readOnlyWhy}>
            View only
          </span>
        ) : (
          <>
            <ToolbarButton action="new-booking" icon="plus" label="New booking" title="New booking (N), or drag across free time on a technician's row" onClick={props.onNewBooking} />
            <label className="cl-check" title="Size cards by labor hours shared among the assigned people (organization setting)">
              <input type="checkbox" name="autoResize" checked={props.autoResize} onChange={(e) => props.onAutoResize(e.target.checked)} />
              Auto-resize
            </label>
            <ToolbarButton
              action="send-day"
              icon="send"
              label="Send day to techs"
              disabled={kind !== 'day'}
              title={kind === 'day' ? 'Send every Scheduled job of this day to its technicians' : 'Switch to Day view to send a day'}
              onClick={props.onSendDay}
            />
          </>
        )}
        <ToolbarButton action="route-sheets" icon="print" label="Route sheets" title="Route sheets for this day: preview, print, PDF (Ctrl+P)" onClick={props.onRouteSheets} />
        {props.providerFilter ? (
          <span className="cl-chip" data-provider-filter={props.providerFilter.id}>
            Only {props.providerFilter.name}
            <button type="button" className="cl-chip__close" aria-label="Show all providers" onClick={props.onClearProviderFilter}>
              ×
            </button>
          </span>
        ) : null}
      </div>

      <div className="cl-board-header__group cl-board-header__end">
        <button type="button" className="cl-icon-button" aria-label="Quick search" title="Quick search (Ctrl+K)" data-action="search" onClick={props.onSearch}>
          <Icon name="search" />
        </button>
        {props.readOnly ? null : (
          <>
            <button type="button" className="cl-icon-button" aria-label="Undo" title="Undo (Ctrl+Z)" data-action="undo" onClick={props.onUndo}>
              <Icon name="undo" />
            </button>
            <button type="button" className="cl-icon-button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" data-action="redo" onClick={props.onRedo}>
              <Icon name="redo" />
            </button>
            <span className={`cl-staged-badge${stagedCount > 0 ? ' has-changes' : ''}`} data-staged-count={stagedCount} aria-live="polite">
              {stagedCount === 0 ? 'All saved' : countText(stagedCount, 'unsaved change')}
            </span>
            <button
              type="button"
              className="cl-button cl-button--primary"
              data-action="save"
              disabled={stagedCount === 0 || props.saving}
              title="Save and notify (Ctrl+S)"
              onClick={props.onSave}
            >
              <Icon name="save" /> Save
            </button>
            <button type="button" className="cl-button" data-action="discard" disabled={stagedCount === 0 || props.saving} onClick={props.onDiscard}>
              Discard
            </button>
          </>
        )}
      </div>
    </header>
  );
}

/** An icon button with words; on narrow screens the words hide (board.css) and the name and tooltip stay. */
function ToolbarButton(props: { action: string; icon: IconName; label: string; title: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" className="cl-button" data-action={props.action} aria-label={props.label} title={props.title} disabled={props.disabled} onClick={props.onClick}>
      <Icon name={props.icon} /> <span className="cl-button__label">{props.label}</span>
    </button>
  );
}
