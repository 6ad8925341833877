import { ok, type BookingSeriesInfo, type Handlers } from '../../../core/index';
import { getBooking } from '../../../core/doc/schedule';
import { todayIn } from '../../../core/clock';
import { firstRuleDate, lastRuleDate } from '../../../core/recurrence/expand';
import { startDateOf, startTimeOf } from '../../../core/recurrence/occurrence';
import { isUntouched } from '../../../core/recurrence/reconcile';
import { describeRepeat } from '../../../core/recurrence/rule-text';
import { linksBySeries, listSeries, occurrenceLinkOf, type Series } from '../../../core/recurrence/series-doc';
import type { LocalStore } from '../store/local-store';

type SeriesRequestName = 'series:ofBooking' | 'series:rulesFor';

/**
 * Reads of recurring series for the console (the writes are the series commands, run with `commands:run`):
 * which series a booking is a visit of, and its rule in words. The renderer never reads the documents'
 * series maps itself, so the words and the "changed on its own" judgement are the ones the commands use.
 */
export function seriesHandlers(store: LocalStore): Pick<Handlers, SeriesRequestName> {
  /** Dates in words carry their year only when it is not this year (organization zone). */
  const referenceYear = () => Number(todayIn(store.clock, store.queries.settings().timeZone).slice(0, 4));

  return {
    'series:ofBooking': ({ id }) => {
      const schedule = store.docs.schedule;
      const link = occurrenceLinkOf(schedule, id);
      if (!link) return ok(null);
      const series = listSeries(schedule).find((s) => s.id === link.seriesId);
      if (!series) return ok(null);
      const booking = getBooking(schedule, id);
      const changedAlone = series.exceptions.get(link.date)?.type === 'changed';
      const info: BookingSeriesInfo = {
        seriesId: series.id,
        date: link.date,
        repeat: series.repeat,
        ruleText: describeRepeat(series.repeat, { referenceYear: referenceYear() }),
        startDate: startDateOf(series),
        startTime: startTimeOf(series),
        durationMinutes: series.template.durationMinutes,
        isFirst: firstRuleDate(series.rrule, startDateOf(series)) === link.date,
        ownChanges: changedAlone || (booking !== undefined && !isUntouched(booking, link)),
        lastDate: lastRuleDate(series.rrule, startDateOf(series)),
      };
      return ok(info);
    },
    'series:rulesFor': ({ ids }) => {
      const schedule = store.docs.schedule;
      const wanted = new Set(ids);
      const year = referenceYear();
      const words = new Map<string, string>();
      const text = (s: Series) => {
        let t = words.get(s.id);
        if (t === undefined) words.set(s.id, (t = describeRepeat(s.repeat, { referenceYear: year })));
        return t;
      };
      const out: Record<string, string> = {};
      const links = linksBySeries(schedule);
      for (const series of listSeries(schedule)) {
        for (const bookingId of links.get(series.id)?.keys() ?? []) if (wanted.has(bookingId)) out[bookingId] = text(series);
      }
      return ok(out);
    },
  };
}
