import { api } from './api.js';
import { explainCode } from './rules.js';
import { el, table } from './dom.js';
import { notificationsPanel } from './notifications.js';
import { staffSection } from './staff.js';
import { registerForm } from './coordinator-register.js';
import { importForm } from './coordinator-import.js';
import { bookingForm } from './coordinator-booking.js';
import { bookingsSection } from './coordinator-bookings.js';
import { reintegrationSection } from './coordinator-reintegration.js';
import { count, statusWord } from './words.js';
import { toast } from './app.js';
import { calendarFeedSection } from './calendar-feed.js';
import { statisticsDownloads } from './statistics-downloads.js';
import { loadMore } from './paging.js';
import { endedCostsSection } from './costs-link.js';
import { identificationRequests, identificationCell, identificationSection } from './coordinator-identification.js';

// Newest cases first; older ones a page at a time under the table (docs/api.md, "Lists and paging").
const RETURNEES = '/returnees?limit=100';

// A national coordinator: registers cases (one by one or a CSV file), books seats with the booking rules visible in the
// picker, follows every booking of the state until its operation ends, asks destinations to identify cases without a
// valid travel document, names its staff, and reads its notifications.
export async function renderCoordinator(main, claims, signal) {
  const [page, operations, countries, identifications] = await Promise.all([
    api.get(RETURNEES),
    api.get('/operations?pageSize=200').then(items),
    api.get('/countries'),
    identificationRequests(),
  ]);
  const returnees = await cases(page.items);
  // Rule 17: a case is identified by a destination the JCP returns to, never by a member state.
  const destinations = countries.filter((c) => c.group === 'ThirdCountry' || c.group === 'WesternBalkans');
  const rowOf = (r) => returneeRow(r, identificationCell(r, identifications, destinations));
  const caseTable = returneeTable(returnees.map(rowOf));
  const more = loadMore(RETURNEES, page.nextAfter, async (next) => caseTable.querySelector('tbody').append(...(await cases(next)).map(rowOf)));
  const notifications = notificationsPanel(signal);
  // A new case changes the picker and the lists: the page is drawn again, and the toast says what happened.
  const again = (text) => { toast(text); window.dispatchEvent(new HashChangeEvent('hashchange')); };
  main.append(
    notifications.element,
    await calendarFeedSection(),
    el('details', { class: 'card', id: 'register' }, el('summary', {}, 'Register a returnee'),
      registerForm(countries, (created) => again(`Case ${created.reference} registered.`)),
      importForm((imported) => again(`${count(imported.imported, 'case')} imported.`))),
    el('h3', {}, 'Book seats'),
    bookingForm(operations.filter((o) => o.status === 'Announced'), returnees, () => { notifications.refresh(); }),
    await bookingsSection(),
    endedCostsSection(operations),
    el('h3', {}, `Returnees of ${claims.country}`),
    caseTable,
    more,
    identificationSection(identifications, returnees),
    await reintegrationSection(returnees),
    await staffSection(claims.country),
    statisticsDownloads(`${claims.country} only`));
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);

// The list carries ids and status only; each case (with its eligibility) is read on its own.
const cases = (list) => Promise.all(list.map((r) => api.get(`/returnees/${encodeURIComponent(r.id)}`)));

function returneeRow(r, identification) {
  // One line per broken rule: the server may give several details for one rule.
  const rules = [...new Set((r.violations || []).map((v) => v.rule))];
  return el('tr', { 'data-returnee': r.id },
    el('td', {}, r.reference || 'Erased'),
    el('td', {}, r.familyGroup || '—'),
    el('td', { class: 'hide-narrow' }, `${r.nationality || ''} ${r.birthYear || ''}`),
    el('td', {}, r.voluntary ? 'Voluntary' : 'Forced'),
    el('td', {}, statusWord(r.status || 'Available')),
    el('td', {}, rules.length
      ? el('ul', { class: 'alert' }, rules.map((rule) => el('li', {}, explainCode(rule))))
      : el('span', { class: 'ok' }, 'Eligible')),
    identification);
}

function returneeTable(rows) {
  return table(['Case', 'Family group', 'Nationality, born', 'Return', 'Status', 'Eligibility', 'Identification'], rows,
    'Own returnees and why any cannot travel');
}
