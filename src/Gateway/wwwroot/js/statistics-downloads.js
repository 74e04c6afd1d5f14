import { download } from './api.js';
import { el } from './dom.js';

// Statistics as the authorities count them (docs/api.md, "Exchange formats"): persons returned per month in the long layout of
// Eurostat's downloads, and the days to obtain a travel document per destination, as CSV files. The gateway decides whose
// figures they are: a coordinator gets its own state's, the secretariat and the admin every state's.
export function statisticsDownloads(scope) {
  const thisYear = new Date().getUTCFullYear();
  const year = el('input', { id: 'statistics-year', type: 'number', min: 2000, max: thisYear, value: thisYear, required: true });
  const result = el('span', { 'aria-live': 'polite' });
  const save = (path, name) => async () => {
    try {
      await download(`/statistics/${path}?year=${encodeURIComponent(year.value)}`, 'text/csv, application/problem+json', `${name}-${year.value}.csv`);
      result.replaceChildren();
    } catch (e) {
      result.replaceChildren(el('span', { class: 'problem' }, `The CSV file could not be made: ${e.message}`));
    }
  };
  return el('section', { class: 'card no-print', 'aria-labelledby': 'authority-statistics-heading' },
    el('h3', { id: 'authority-statistics-heading' }, 'Statistics for the authorities (CSV)'),
    el('p', {}, `${scope}: persons returned per month by citizenship, destination, type of return and escort, in the layout of `
      + 'Eurostat\'s return statistics; and the days from identification request to travel document per destination.'),
    el('p', {},
      el('label', { for: 'statistics-year' }, 'Year '), year, ' ',
      el('button', { type: 'button', onclick: save('returns', 'persons-returned') }, 'Download persons returned'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: save('travel-documents', 'travel-document-times') },
        'Download times to a travel document'), ' ', result));
}
