/**
 * rrule-temporal binds `globalThis.Temporal` when its module is first evaluated and otherwise uses a copy of
 * a Temporal polyfill bundled inside it. Installing core's polyfill as the global here, in a module that
 * `expand.ts` imports before rrule-temporal, gives the whole of core one Temporal implementation (values
 * pass between them as they are). Where the runtime has a native Temporal, the polyfill leaves it in place.
 *
 * This alone does not keep the real clock out: with either implementation, expanding a rule in a zone with
 * DST asks for the zone's next transition, and the polyfill bounds that search by `Date.now()`. `expand.ts`
 * therefore evaluates rules on local dates in UTC, where no transition is ever looked up.
 *
 * Side effect, process-wide: `temporal-polyfill/global` also installs its `Intl.DateTimeFormat` (which
 * formats Temporal values too) and `Date.prototype.toTemporalInstant`.
 */
import 'temporal-polyfill/global';
