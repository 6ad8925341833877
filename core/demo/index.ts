/** Demo and benchmark data generators: everything goes through the command API, deterministically per seed. */
export { createDemoCompany, DEMO_COMPANY_NAME, DEMO_TIME_ZONE } from './demo-company';
export type { DeliberateConflict, DemoCompanyOptions, DemoCompanySummary } from './demo-company';
export { createScaledSchedule } from './scale';
export type { ScaledScheduleOptions, ScaledScheduleSummary } from './scale';
export { createRng } from './random';
export type { Rng } from './random';
export { CHICAGO_BOX, insideChicagoBox, randomChicagoAddress } from './chicago';
export type { GeneratorHooks, RunCommand } from './run';
