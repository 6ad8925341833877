/** The part of FullCalendar's `Calendar` a hold uses (public in v7: `pauseRendering`/`resumeRendering`). */
export interface PausableCalendar {
  pauseRendering(): void;
  resumeRendering(): void;
}

/**
 * Holds the calendar's rendering from the release of a card (drag or resize) until the board has applied
 * the edit's answer, so a drop paints once: the card at its new place, staged, with its conflicts.
 *
 * Why: on release FullCalendar renders the whole timeline for each step of its own drop (clearing the
 * drag state, then merging the moved event), and our answer is one more render a few milliseconds later;
 * each render of a 50-row week costs 10–30 ms here, and nobody can see the intermediate ones. While held,
 * the calendar still takes every change into its data; only the DOM waits, showing the dragged card
 * where it was dropped.
 *
 * A hold always ends: when the edit it was claimed for has its answer (or failed), at the end of the
 * release's task if nothing claimed it (an invalid drop, a drop back on the same slot), and after
 * `maxMs` whatever happens, so a slow or lost answer can never freeze the board.
 */
export class RenderHold {
  private held: PausableCalendar | null = null;
  private claimed = false;
  /** Counts holds, so a claim ends only its own. */
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly maxMs = 200) {}

  get isHeld(): boolean {
    return this.held !== null;
  }

  /** At the release of a card the calendar is dragging or resizing. */
  begin(calendar: PausableCalendar): void {
    if (this.held) return;
    calendar.pauseRendering();
    this.held = calendar;
    this.generation++;
    this.claimed = false;
    this.timer = setTimeout(() => this.release(), this.maxMs);
  }

  /**
   * An edit staged from this release: the hold lasts until `done` is called (or `maxMs`). `done` ends
   * only this hold, never a later release's (an answer may come after the next drop began its own).
   */
  claim(): () => void {
    if (!this.held) return () => {};
    this.claimed = true;
    const hold = this.generation;
    return () => {
      if (this.generation === hold) this.release();
    };
  }

  /** As `claim`, for an edit whose final state is on the board now (forecast): ends at the end of this task, once the calendar's own handlers have run. */
  claimPainted(): { painted: () => void; done: () => void } {
    const done = this.claim();
    return { painted: () => queueMicrotask(done), done };
  }

  /** FullCalendar has finished its drop (`eventDragStop`/`eventResizeStop`): end an unclaimed hold once its handlers have run. */
  settle(): void {
    queueMicrotask(() => {
      if (!this.claimed) this.release();
    });
  }

  release(): void {
    const calendar = this.held;
    if (!calendar) return;
    this.held = null;
    this.claimed = false;
    clearTimeout(this.timer);
    calendar.resumeRendering();
  }
}
