/** `npm run bench`: every benchmark in turn; each prints its own table. */
export {};
await import('./store-bench');
