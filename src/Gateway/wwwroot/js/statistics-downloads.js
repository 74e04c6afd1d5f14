import { session } from './api.js';
import { el } from './dom.js';

// Statistics as the authorities count them (docs/api.md, "Exchange formats"): persons returned per month in the long layout of
// Eurostat's downloads, and the days to obtain a travel document per destination, as CSV files. The gateway decides whose
// figures they are: a coordinator gets its own state's, the secretariat and the admin every state's.
export function statisticsDownloads(scope) {
  const thisYear = new Date().getUTCFullYear();
  const year = el('input', { id: 'statistics-year', type: 'number', min: 2000, max: thisYear, value: thisYear, required: true });
  const result = el('span', { 'aria-live': 'polite' });
  const download = (path, name) => async () => {
    // The token travels in a header, so the file is fetched here and handed to the browser to save.
    const response = await fetch(`/api/v1/statistics/${path}?year=${encodeURIComponent(year.value)}`,
      { headers: { Authorization: `Bearer ${session.token}`, Accept: 'text/csv' } });
    if (!response.ok) {
      result.replaceChildren(el('span', { class: 'problem' }, `The CSV file could not be made (HTTP ${response.status}).`));
      return;
    }
    result.replaceChildren();
    const link = el('a', { href: URL.createObjectURL(await response.blob()), download: `${name}-${year.value}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
  };
  return el('section', { class: 'card no-print', 'aria-labelledby': 'authority-statistics-heading' },
    el('h3', { id: 'authority-statistics-heading' }, 'Statistics for the authorities (CSV)'),
    el('p', {}, `${scope}: persons returned per month by citizenship, destination, type of return and escort, in the layout of `
      + 'Eurostat\'s return statistics; and the days from identification request to travel document per destination.'),
    el('p', {},
      el('label', { for: 'statistics-year' }, 'Year '), year, ' ',
      el('button', { type: 'button', onclick: download('returns', 'persons-returned') }, 'Download persons returned'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: download('travel-documents', 'travel-document-times') },
        'Download times to a travel document'), ' ', result));
}
