import { api, Problem, subscribe } from './api.js';
import { el, table, when } from './dom.js';
import { notificationsPanel } from './notifications.js';
import { statusWord, typeWord, warningText } from './words.js';
import { loadMore } from './paging.js';
import { costsLink } from './costs-link.js';
import { calendarFeedSection } from './calendar-feed.js';

const OPERATIONS = '/operations?limit=50';

// The secretariat's view of every operation: status, seats per state, staffing and alerts, and the
// readmission replies, identifications and travel documents destinations owe.
// It listens to the gateway's event stream and redraws when anything changes, without a reload.
export async function renderBoard(main, claims, signal) {
  const live = el('p', { id: 'live', class: 'ok', 'aria-live': 'polite' }, 'Live: updates appear as they happen.');
  const overdue = el('section', { class: 'card', id: 'overdue-readmissions', 'aria-labelledby': 'overdue-heading' });
  const identifications = el('section', { class: 'card', id: 'overdue-identifications', 'aria-labelledby': 'overdue-identification-heading' });
  const holder = el('div', { id: 'board' });
  main.append(live, overdue, identifications, holder);
  // The fundamental-rights officer's feed carries incidents and complaints straight from the field (rule 14);
  // the secretariat's, what changed on operations. Admin configures the platform and reads no one's feed.
  if (['fro', 'secretariat'].includes(claims.role)) main.insertBefore(notificationsPanel(signal).element, holder);
  // The secretariat follows every operation's dates; fro and admin have no calendar feed.
  if (claims.role === 'secretariat') main.insertBefore(await calendarFeedSection(), holder);
  let pending = null;
  let down = false;
  const redraw = async () => {
    const [operations, replies, late] = await Promise.all([board(), overdueReplies(), overdueIdentifications()]);
    holder.replaceChildren(operations);
    overdue.replaceChildren(...replies);
    identifications.replaceChildren(...late);
  };
  // A redraw after an event or a reconnection: a failure keeps the board as it was and says so (Problem: no answer, 5xx).
  const refresh = async () => {
    try {
      await redraw();
      live.className = 'ok';
      live.textContent = `Live: updated ${new Date().toISOString().slice(11, 19)} UTC.`;
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      live.className = 'problem';
      live.textContent = `Not updated: ${e.message}`;
    }
  };
  await redraw();
  subscribe('/events', () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 150);
  }, signal, (up) => {
    if (up === !down) return;
    down = !up;
    if (down) {
      live.className = 'problem';
      live.textContent = 'Reconnecting… The connection to the server dropped: the board shows what it last knew and catches up when it returns.';
    } else {
      // Events sent while the stream was down were missed: the board is read again.
      refresh();
    }
  });
}

async function board() {
  const page = await api.get(OPERATIONS);
  const list = table(['Operation', 'Status', 'Destinations', 'Departure', 'Booking deadline', 'Seats per state', 'Staffing', 'Alerts'],
    await operationRows(page.items), 'Every operation with seat fill, staffing and alerts');
  const more = loadMore(OPERATIONS, page.nextAfter, async (next) => list.querySelector('tbody').append(...(await operationRows(next))));
  return el('div', {}, list, more);
}

async function operationRows(summaries) {
  const operations = await Promise.all(summaries.map((o) => api.get(`/operations/${encodeURIComponent(o.id)}`)));
  return operations.map((op) => el('tr', { 'data-operation': op.id },
    el('td', {}, el('strong', {}, op.id), el('br'), typeWord(op.type), ' · ', op.organiser, el('br'), costsLink(op.id, 'Cost statement')),
    el('td', {}, el('span', { class: `badge ${op.status}` }, statusWord(op.status))),
    el('td', {}, (op.destinations || []).join(', ')),
    el('td', { class: 'hide-narrow' }, when(op.legs?.[0]?.departure)),
    el('td', { class: 'hide-narrow' }, when(op.bookingDeadline)),
    el('td', {}, seats(op)),
    el('td', {}, staffing(op)),
    el('td', {}, alerts(op))));
}

// Replies destinations owe on readmission requests (counts per destination and waiting state, no persons).
async function overdueReplies() {
  const heading = el('h3', { id: 'overdue-heading' }, 'Overdue readmission replies');
  const report = await api.get('/readmission-requests/overdue');
  if (!report.destinations.length) return [heading, el('p', { class: 'ok' }, 'No readmission reply is overdue.')];
  const counts = (x) => [x.lapsed ? `${x.lapsed} lapsed` : null, x.pendingPastDue ? `${x.pendingPastDue} past due` : null].filter(Boolean).join(', ');
  return [heading,
    el('ul', { class: 'alert' }, report.destinations.map((d) => el('li', { 'data-destination': d.destination },
      `${d.destination}: ${counts(d)} — oldest due ${when(d.oldestReplyDueBy)}. Waiting: `,
      d.waiting.map((w) => `${w.country} (${counts(w)})`).join('; ')))),
    el('p', { class: 'muted' }, 'Lapsed: no reply by the deadline where silence is not acceptance. They stay listed: the destination never replied.')];
}

// Identifications and travel documents destinations owe (rule 17): counts per destination and waiting state, no persons.
async function overdueIdentifications() {
  const heading = el('h3', { id: 'overdue-identification-heading' }, 'Overdue identifications and travel documents');
  const report = await api.get('/identification-requests/overdue');
  if (!report.destinations.length) return [heading, el('p', { class: 'ok' }, 'No identification or travel document is overdue.')];
  const counts = (x) => [x.awaitingIdentity ? `${x.awaitingIdentity} not identified` : null,
    x.awaitingDocument ? `${x.awaitingDocument} without document` : null].filter(Boolean).join(', ');
  return [heading,
    el('ul', { class: 'alert' }, report.destinations.map((d) => el('li', { 'data-destination': d.destination },
      `${d.destination}${d.throughEmbassy ? ' (through its embassy)' : ''}: ${counts(d)} — oldest due ${when(d.oldestDueBy)}. Waiting: `,
      d.waiting.map((w) => `${w.country} (${counts(w)})`).join('; ')))),
    el('p', { class: 'muted' }, 'Silence never counts as identification: a request stays listed until the destination answers.')];
}

function seats(op) {
  const s = op.seats || { capacity: op.seatCapacity, confirmed: 0, waitlisted: 0, free: op.seatCapacity };
  const fill = s.capacity ? Math.round((100 * s.confirmed) / s.capacity) : 0;
  // Set through the CSSOM: the Content-Security-Policy refuses style attributes.
  const filled = el('span');
  filled.style.width = `${fill}%`;
  return el('div', {},
    el('span', { class: 'bar', role: 'img', 'aria-label': `${fill}% of seats confirmed` }, filled),
    ` ${s.confirmed}/${s.capacity} confirmed`, s.waitlisted ? `, ${s.waitlisted} waitlisted` : '',
    el('ul', {}, (op.participants || []).map((p) =>
      el('li', { 'data-country': p.country }, `${p.country}: ${p.confirmedSeats} confirmed`, p.waitlistedSeats ? `, ${p.waitlistedSeats} waitlisted` : ''))));
}

function staffing(op) {
  const sum = (key) => (op.participants || []).reduce((n, p) => n + (p[key] || 0), 0);
  const returnees = sum('returnees');
  const escorts = sum('escorts');
  const ratio = returnees ? (escorts / returnees).toFixed(1) : '—';
  return el('ul', {},
    el('li', {}, `Escorts per returnee: ${ratio}`),
    // Rule 7: a monitor counts whether a state booked one or the secretariat or organiser assigned one by name.
    el('li', {}, `Monitors: ${sum('monitors') + (op.assignedMonitors?.length || 0)}`),
    el('li', {}, `Medical: ${sum('medical')}`),
    el('li', {}, `Interpreters: ${sum('interpreters')}`));
}

function alerts(op) {
  const items = (op.warnings || []).map(warningText);
  const forced = !['VoluntaryCharter'].includes(op.type);
  const open = !['Completed', 'Cancelled', 'Draft'].includes(op.status);
  const monitors = (op.participants || []).reduce((n, p) => n + (p.monitors || 0), 0) + (op.assignedMonitors?.length || 0);
  if (forced && open && monitors === 0) items.push('No forced-return monitor assigned');
  const cleared = (op.clearances || []).filter((c) => c.cleared && c.current !== false).map((c) => c.destination);
  const uncleared = (op.destinations || []).filter((d) => !cleared.includes(d));
  if (op.status === 'BookingClosed' && uncleared.length) items.push(`Manifest clearance missing: ${uncleared.join(', ')}`);
  return items.length ? el('ul', { class: 'alert' }, items.map((w) => el('li', {}, w))) : el('span', { class: 'ok' }, 'None');
}
