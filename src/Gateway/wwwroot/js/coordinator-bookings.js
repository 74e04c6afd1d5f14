import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { count, statusWord, typeWord } from './words.js';
import { loadMore } from './paging.js';
import { costsLink } from './costs-link.js';

// Every booking of the state on an operation that has not ended, whatever the operation's status, so that a confirmed
// booking stays in view after booking closes. One list (GET /bookings, docs/api.md) in pages, departure first, then
// operation, then arrival; the filters ask the server again, so a filtered list is complete however long it is.
const RUNNING = ['Announced', 'BookingClosed', 'Confirmed', 'Departed'];
const HEADERS = ['Operation', 'Operation status', 'Booking', 'Size', 'Departure', 'Actions'];

export async function bookingsSection() {
  const filter = (id, label, values) => el('div', {}, el('label', { for: id }, label),
    el('select', { id }, el('option', { value: '' }, 'All'), values.map((v) => el('option', { value: v }, statusWord(v)))));
  const filters = el('div', { class: 'grid filters', onchange: () => { load(); } },
    filter('filter-operation-status', 'Operation status', RUNNING),
    filter('filter-booking-status', 'Booking status', ['Confirmed', 'Waitlisted', 'Suspended', 'Cancelled']));
  const tableNode = table(HEADERS, [], 'Bookings of our state');
  const tbody = tableNode.querySelector('tbody');
  const more = el('div', {});
  let shown = 0;
  async function load() {
    const query = new URLSearchParams();
    const op = filters.querySelector('#filter-operation-status').value;
    const booking = filters.querySelector('#filter-booking-status').value;
    if (op) query.set('operationStatus', op);
    if (booking) query.set('status', booking);
    const path = '/bookings' + (query.toString() ? `?${query}` : '');
    const ticket = ++shown;
    const page = await api.get(path);
    if (ticket !== shown) return; // a later choice of filter answered first
    // Numbers within an operation continue across pages: its bookings are listed together, in the order they arrived.
    const numbers = new Map();
    const rowsOf = (list) => list.map((b) => row(b, numbers));
    const rows = rowsOf(page.items);
    tbody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: HEADERS.length }, 'None.'))]));
    more.replaceChildren(loadMore(path, page.nextAfter, (next) => { tbody.append(...rowsOf(next)); }));
  }
  await load();
  return el('section', { 'aria-labelledby': 'bookings-heading', id: 'bookings' },
    el('h3', { id: 'bookings-heading' }, 'Bookings'),
    el('p', { class: 'muted' }, 'Every booking of our state until its operation is completed or cancelled.'), filters, tableNode, more);
}

function row(b, numbers) {
  const op = { id: b.operationId, status: b.operationStatus };
  const seen = numbers.get(b.operationId) || { count: 0, waiting: 0 };
  numbers.set(b.operationId, seen);
  seen.count += 1;
  const waiting = b.status === 'Waitlisted' ? ++seen.waiting : null;
  return el('tr', { 'data-booking': b.id, 'data-operation-status': b.operationStatus, 'data-booking-status': b.status },
    el('td', {}, b.operationId, el('br'), `${typeWord(b.operationType)} to ${b.destinations.join(', ')}`, el('br'), costsLink(b.operationId, 'Cost statement')),
    el('td', {}, statusWord(b.operationStatus)),
    el('td', {}, `Booking ${seen.count}: ${statusWord(b.status)}`, waiting ? ` (number ${waiting} of ours on the waitlist)` : '',
      b.suspendedReturneeCount ? `; ${count(b.suspendedReturneeCount, 'returnee')} suspended` : ''),
    el('td', {}, count(b.returneeCount, 'returnee'), el('br'), count(b.seats, 'seat')),
    el('td', { class: 'hide-narrow' }, when(b.departure)),
    el('td', {}, bookingActions(op, b)));
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
  if (booking.status === 'Cancelled' || op.status === 'Departed') return cell;
  if (booking.suspendedReturneeCount) {
    cell.append(el('button', { type: 'button', class: 'secondary', onclick: act(() => api.post(`${path}/reinstate`), 'Suspended returnees reinstated.') },
      'Reinstate suspended'), ' ');
  }
  const sure = el('button', { type: 'button', hidden: true, onclick: act(() => api.del(path), 'Booking cancelled.') }, 'Confirm: cancel this booking');
  cell.append(el('button', { type: 'button', class: 'secondary', onclick: () => { sure.hidden = false; sure.focus(); } }, 'Cancel booking'), ' ', sure);
  return cell;
}
