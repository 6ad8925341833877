/** CSV import and export (issue 18): kinds and shapes, fields and header guessing, value readers, plan, export. */
export * from './kinds';
export * from './fields';
export * from './values';
export * from './import-plan';
export * from './export';
