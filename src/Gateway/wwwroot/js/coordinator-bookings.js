import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { count, statusWord, typeWord } from './words.js';

// Every booking of the state on an operation that has not ended, whatever the operation's status, so that a confirmed
// booking stays in view after booking closes. Filtered in the page: the rows are already here.
const RUNNING = ['Announced', 'BookingClosed', 'Confirmed', 'Departed'];

export async function bookingsSection(operations, country) {
  const running = operations.filter((o) => RUNNING.includes(o.status));
  const rows = [];
  for (const op of running) {
    // The organiser is shown every booking of its operation; this table is the state's own.
    const bookings = items(await api.get(`/operations/${encodeURIComponent(op.id)}/bookings`)).filter((b) => b.country === country);
    let position = 0;
    bookings.forEach((b, i) => {
      const waiting = b.status === 'Waitlisted' ? ++position : null;
      rows.push(el('tr', { 'data-booking': b.id, 'data-operation-status': op.status, 'data-booking-status': b.status },
        el('td', {}, op.id, el('br'), `${typeWord(op.type)} to ${op.destinations.join(', ')}`),
        el('td', {}, statusWord(op.status)),
        el('td', {}, `Booking ${i + 1}: ${statusWord(b.status)}`, waiting ? ` (number ${waiting} of ours on the waitlist)` : '',
          b.suspendedReturneeCount ? `; ${count(b.suspendedReturneeCount, 'returnee')} suspended` : ''),
        el('td', {}, count(b.returneeCount ?? (b.returnees || []).length, 'returnee'), el('br'), count(b.seats, 'seat')),
        el('td', { class: 'hide-narrow' }, when(op.legs?.[0]?.departure ?? op.departure)),
        el('td', {}, bookingActions(op, b))));
    });
  }
  const tableNode = table(['Operation', 'Operation status', 'Booking', 'Size', 'Departure', 'Actions'], rows, 'Bookings of our state');
  const filter = (id, label, values) => el('div', {}, el('label', { for: id }, label),
    el('select', { id }, el('option', { value: '' }, 'All'), values.map((v) => el('option', { value: v }, statusWord(v)))));
  const filters = el('div', { class: 'grid filters', onchange: apply },
    filter('filter-operation-status', 'Operation status', RUNNING),
    filter('filter-booking-status', 'Booking status', ['Confirmed', 'Waitlisted', 'Suspended', 'Cancelled']));
  function apply() {
    const op = filters.querySelector('#filter-operation-status').value;
    const booking = filters.querySelector('#filter-booking-status').value;
    for (const row of tableNode.querySelectorAll('tr[data-booking]')) {
      row.hidden = (op && row.dataset.operationStatus !== op) || (booking && row.dataset.bookingStatus !== booking);
    }
  }
  return el('section', { 'aria-labelledby': 'bookings-heading', id: 'bookings' },
    el('h3', { id: 'bookings-heading' }, 'Bookings'),
    el('p', { class: 'muted' }, 'Every booking of our state until its operation is completed or cancelled.'), filters, tableNode);
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);

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
