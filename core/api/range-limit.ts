/**
 * How long a range the board may read at once. Zod-free so the board can clamp its view to it without
 * bundling the contract; the contract's range schema is the one place that enforces it.
 */
export const MAX_RANGE_DAYS = 62;
