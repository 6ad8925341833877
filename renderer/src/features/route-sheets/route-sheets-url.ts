/**
 * The route sheets screen lives at `#/route-sheets?date=2026-11-23&providers=<id>,<id>&empty=1&paper=a4`, so
 * the board's button, Ctrl+P, a bookmark and the export command (`npm run route-sheets`) all open the same
 * view. The hash keeps the web host's token query untouched.
 */
export type Paper = 'letter' | 'a4';

export interface RouteSheetsView {
  date: string | null;
  /** Null: every provider. */
  providerIds: string[] | null;
  includeEmpty: boolean;
  paper: Paper | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRouteSheetsHash(hash: string): RouteSheetsView {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  const date = params.get('date');
  const providers = params.get('providers');
  const paper = params.get('paper');
  return {
    date: date && DATE.test(date) ? date : null,
    providerIds: providers ? providers.split(',').filter(Boolean) : null,
    includeEmpty: params.get('empty') === '1',
    paper: paper === 'a4' || paper === 'letter' ? paper : null,
  };
}

export function routeSheetsHash(view: Partial<RouteSheetsView>): string {
  const params = new URLSearchParams();
  if (view.date) params.set('date', view.date);
  if (view.providerIds) params.set('providers', view.providerIds.join(','));
  if (view.includeEmpty) params.set('empty', '1');
  if (view.paper) params.set('paper', view.paper);
  const query = params.toString().replaceAll('%2C', ',');
  return `#/route-sheets${query ? `?${query}` : ''}`;
}

/** Countries that print on US Letter; everywhere else uses A4. */
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'GT', 'CR', 'PA', 'DO', 'PR', 'SV', 'NI', 'HN', 'BZ']);

export function defaultPaper(language: string): Paper {
  try {
    const region = new Intl.Locale(language).maximize().region;
    return region && LETTER_REGIONS.has(region) ? 'letter' : 'a4';
  } catch {
    return 'a4';
  }
}
