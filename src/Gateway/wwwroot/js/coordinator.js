import { api, Problem } from './api.js';
import { explain, explainCode } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { notificationsPanel } from './notifications.js';
import { staffSection } from './staff.js';
import { loadMore } from './paging.js';

const RETURNEES = '/returnees?limit=50';

// A national coordinator: own returnees with eligibility in plain words, booking on announced
// operations with broken rules explained, the state's bookings with their waitlist status, and its notifications.
export async function renderCoordinator(main, claims, signal) {
  const [page, operations] = await Promise.all([
    api.get(RETURNEES),
    api.get('/operations?status=Announced&pageSize=100').then(items),
  ]);
  const returnees = await cases(page.items);
  const caseTable = returneeTable(returnees);
  const more = loadMore(RETURNEES, page.nextAfter, async (next) => caseTable.querySelector('tbody').append(...(await cases(next)).map(returneeRow)));
  const notifications = notificationsPanel(signal);
  main.append(
    notifications.element,
    el('h3', {}, 'Book seats'),
    bookingForm(operations, returnees.filter((r) => statusOf(r) === 'Available'), notifications.refresh),
    el('h3', {}, `Returnees of ${claims.country}`),
    caseTable,
    more,
    el('h3', {}, 'Bookings'),
    await bookingsTable(operations, claims.country),
    await staffSection(claims.country));
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);
const caseOf = (r) => r;
const statusOf = (r) => r.status || 'Available';

// The list carries ids and status only; each case (with its eligibility) is read on its own.
const cases = (list) => Promise.all(list.map((r) => api.get(`/returnees/${encodeURIComponent(r.id)}`)));

function returneeRow(r) {
  const c = caseOf(r) || {};
  const violations = r.violations || [];
  return el('tr', { 'data-returnee': r.id },
    el('td', {}, c.reference || r.id),
    el('td', { class: 'hide-narrow' }, `${c.nationality || ''} ${c.birthYear || ''}`),
    el('td', {}, statusOf(r)),
    el('td', {}, violations.length
      ? el('ul', { class: 'alert' }, violations.map((v) => el('li', {}, explainCode(v.rule), v.detail ? ` — ${v.detail}` : '')))
      : el('span', { class: 'ok' }, 'Eligible')));
}

function returneeTable(returnees) {
  return table(['Case', 'Nationality, born', 'Status', 'Eligibility'], returnees.map(returneeRow), 'Own returnees and why any cannot travel');
}

function bookingForm(operations, available, onBooked) {
  const problem = el('div', { id: 'booking-problem', 'aria-live': 'assertive' });
  const select = el('select', { id: 'operation', required: true },
    operations.map((o) => el('option', { value: o.id }, `${o.id} — ${o.type} to ${(o.destinations || []).join(', ')} (${o.status})`)));
  const returneeBoxes = available.map((r) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'returnee', value: r.id }), ` ${caseOf(r)?.reference || r.id}`));
  const number = (id, text, value) => el('div', {}, el('label', { for: id }, text), el('input', { id, type: 'number', min: 0, max: 500, value }));
  const form = el('form', { class: 'card', id: 'booking-form', onsubmit: submit },
    el('label', { for: 'operation' }, 'Operation'), select,
    el('fieldset', {}, el('legend', {}, 'Returnees'), returneeBoxes.length ? returneeBoxes : el('p', {}, 'No available returnees.')),
    el('div', { class: 'grid' },
      number('escorts', 'Escorts', 2), number('medical', 'Medical staff', 0), number('monitors', 'Monitors', 0),
      number('interpreters', 'Interpreters', 0), number('observers', 'Observers', 0)),
    el('p', {}, el('button', { type: 'submit' }, 'Request seats')),
    problem);

  async function submit(event) {
    event.preventDefault();
    problem.replaceChildren();
    const value = (id) => Number(form.querySelector(`#${id}`).value || 0);
    const body = {
      returnees: [...form.querySelectorAll('input[name=returnee]:checked')].map((i) => i.value),
      escorts: value('escorts'), medical: value('medical'), monitors: value('monitors'),
      interpreters: value('interpreters'), observers: value('observers'),
    };
    try {
      const booking = await api.post(`/operations/${encodeURIComponent(select.value)}/bookings`, body);
      problem.append(el('p', { class: 'ok', id: 'booking-result' }, `Booking ${booking.id}: ${booking.status} (${booking.seats} seats).`));
      toast(`Booking ${booking.status.toLowerCase()}.`);
      onBooked();
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problem.append(el('div', { class: 'problem', id: 'booking-refused', 'data-rule': e.rule || '' },
        el('strong', {}, 'Not booked. '), explain(e)));
    }
  }
  return form;
}

async function bookingsTable(operations, country) {
  const rows = [];
  for (const op of operations) {
    // The organiser is shown every booking of its operation; this table is the state's own.
    const bookings = items(await api.get(`/operations/${encodeURIComponent(op.id)}/bookings`)).filter((b) => b.country === country);
    let position = 0;
    for (const b of bookings) {
      const waiting = b.status === 'Waitlisted' ? ++position : null;
      rows.push(el('tr', { 'data-booking': b.id },
        el('td', {}, op.id), el('td', {}, b.id), el('td', {}, b.status, waiting ? ` (position ${waiting} of ours)` : '',
          b.suspendedReturneeCount ? `; ${b.suspendedReturneeCount} returnee(s) suspended` : ''),
        el('td', {}, String(b.seats)), el('td', { class: 'hide-narrow' }, when(op.bookingDeadline)),
        el('td', {}, bookingActions(op, b))));
    }
  }
  return table(['Operation', 'Booking', 'Status', 'Seats', 'Deadline', 'Actions'], rows, 'Bookings of our state');
}

// Rule 2's way back: suspended returnees return once eligible; and a booking the state no longer needs is cancelled
// (its seats go to the waitlist), in two steps so that one slip of the hand cancels nothing.
function bookingActions(op, booking) {
  const cell = el('div', { 'aria-live': 'polite' });
  const path = `/operations/${encodeURIComponent(op.id)}/bookings/${encodeURIComponent(booking.id)}`;
  const act = (run, done) => async () => {
    try {
      await run();
      cell.replaceChildren(el('span', { class: 'ok' }, done));
      toast(done);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      cell.append(el('p', { class: 'problem' }, explain(e)));
    }
  };
  if (booking.status === 'Cancelled') return cell;
  if (booking.suspendedReturneeCount) {
    cell.append(el('button', { type: 'button', class: 'secondary', onclick: act(() => api.post(`${path}/reinstate`), 'Suspended returnees reinstated.') },
      'Reinstate suspended'), ' ');
  }
  const sure = el('button', { type: 'button', hidden: true, onclick: act(() => api.del(path), 'Booking cancelled.') }, `Confirm: cancel ${booking.id}`);
  cell.append(el('button', { type: 'button', class: 'secondary', onclick: () => { sure.hidden = false; sure.focus(); } }, 'Cancel booking'), ' ', sure);
  return cell;
}
