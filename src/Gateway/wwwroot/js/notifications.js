import { api } from './api.js';
import { el, when } from './dom.js';
import { explainCode } from './rules.js';
import { count } from './words.js';

// The caller's own notification feed (GET /notifications), newest first, kept on the page: refreshed every
// REFRESH_MS while the tab is visible, when it becomes visible again and after the page's own actions;
// "Load more" pages back with the feed's cursor. Every read is audited, so a hidden tab does not poll.
const PAGE_SIZE = 10;
const REFRESH_MS = 30_000;

const words = {
  'booking.confirmed': 'Booking confirmed',
  'booking.waitlisted': 'Booking waitlisted',
  'booking.promoted': 'Booking moved up from the waitlist',
  'booking.cancelled': 'Booking cancelled',
  'booking.suspended': 'Seat suspended: a returnee can no longer travel',
  'booking.reinstated': 'Booking reinstated',
  'booking.returnee-removed': 'Returnee removed from a booking',
  'returnee.ineligible': 'A booked returnee became ineligible',
  'operation.announced': 'Operation announced',
  'operation.bookingclosed': 'Booking closed',
  'operation.confirmed': 'Operation confirmed',
  'operation.departed': 'Operation departed',
  'operation.completed': 'Operation completed',
  'operation.cancelled': 'Operation cancelled',
  'manifest.cleared': 'Manifest cleared by the destination',
  'manifest.rejected': 'Manifest rejected by the destination',
  'manifest.shared': 'Manifest shared with us by the organiser',
  'booking.staff-named': 'Staff named for a booking',
  'noshow.recorded': 'No-show recorded: a returnee did not board',
  'monitor.assigned': 'Monitor assigned',
  'monitor.report': 'Monitor report filed',
  'incident.filed': 'Serious incident reported',
  'complaint.filed': 'Complaint filed',
  'readmission.requested': 'Readmission requested',
  'readmission.extended': 'Reply deadline extended',
  'readmission.accepted': 'Readmission accepted',
  'readmission.refused': 'Readmission refused',
  'readmission.lapsed': 'Readmission request lapsed without a reply',
  'identification.requested': 'Identification requested',
  'identification.confirmed': 'Identity and nationality confirmed',
  'identification.refused': 'Identification refused',
  'identification.document-issued': 'Travel document issued',
  'identification.reissue-requested': 'New travel document asked for (transfer slipped)',
  'identification.overdue': 'Identification request overdue',
  'identification.withdrawn': 'Identification request withdrawn: the case was erased',
  'reintegration.referred': 'New reintegration referral',
  'reintegration.stopped': 'Referral stopped: the returnee withdrew consent',
  'reintegration.accept': 'Referral accepted by the provider',
  'reintegration.decline': 'Referral declined by the provider',
  'reintegration.reception': 'Returnee received on arrival',
  'reintegration.plan': 'Reintegration plan agreed',
  'reintegration.assistance': 'Reintegration assistance delivered',
  'reintegration.followup': 'Reintegration follow-up recorded',
  'reintegration.follow-up-due': 'Reintegration follow-up due',
  'reintegration.follow-up-overdue': 'Reintegration follow-up overdue',
};

export const describe = (type) => words[type] || type;

function details(n) {
  const d = n.data || {};
  const parts = [];
  if (d.country) parts.push(d.country);
  // A booking's id is an opaque hash that no page shows; the operation named beside it finds the booking.
  // Seats is a count whose meaning depends on the type; only a booking's is a number of seats.
  if (typeof d.seats === 'number' && n.type.startsWith('booking.')) parts.push(count(d.seats, 'seat'));
  if (d.rules?.length) parts.push(d.rules.map(explainCode).join(' '));
  // An incident or complaint (to the fundamental-rights officer only): what was reported, by whom.
  if (d.report) parts.push(`${d.reporterRole}${d.reporterCountry ? ' ' + d.reporterCountry : ''}: ${d.report.category}${d.report.useOfForce ? ', force used' : ''} — ${d.report.description}`);
  return parts.join(' · ');
}

function item(n) {
  const info = details(n);
  return el('li', { 'data-notification': n.id, 'data-type': n.type, 'data-booking': n.data?.bookingId },
    el('strong', {}, describe(n.type)),
    n.operationId ? [' — operation ', el('span', { class: 'operation-id' }, n.operationId)] : null,
    info ? el('span', { class: 'muted' }, ` (${info})`) : null,
    el('br'),
    el('time', { datetime: n.occurredAt, class: 'muted' }, when(n.occurredAt)));
}

/** Builds the panel and starts refreshing it until <signal> aborts; returns { element, refresh }. */
export function notificationsPanel(signal) {
  // Scrolls when long, so it takes focus: keyboard users can scroll it too.
  const list = el('ol', { id: 'notifications', class: 'notifications', tabindex: 0, 'aria-labelledby': 'notifications-heading' });
  const status = el('p', { id: 'notifications-status', class: 'muted', 'aria-live': 'polite' }, 'Loading notifications…');
  const more = el('button', { type: 'button', class: 'secondary', id: 'notifications-more', hidden: true, onclick: loadMore }, 'Load more');
  const refreshButton = el('button', { type: 'button', class: 'secondary', onclick: () => refresh() }, 'Refresh');
  const element = el('section', { class: 'card', id: 'notifications-panel', 'aria-labelledby': 'notifications-heading' },
    el('h3', { id: 'notifications-heading' }, 'Notifications'), status, list, el('p', {}, more, ' ', refreshButton));
  const known = new Set();
  let cursor = null; // where "Load more" continues; null once the oldest page was read
  let started = false;

  function show(items, where) {
    const fresh = items.filter((n) => !known.has(n.id));
    fresh.forEach((n) => known.add(n.id));
    const nodes = fresh.map(item);
    if (where === 'top') list.prepend(...nodes); else list.append(...nodes);
    return fresh.length;
  }

  async function refresh() {
    try {
      const page = await api.get(`/notifications?limit=${PAGE_SIZE}`);
      const overlaps = page.items.length === 0 || known.size === 0 || page.items.some((n) => known.has(n.id));
      if (!overlaps) {
        // More arrived than one page holds: start over from the newest rather than leave a gap.
        known.clear();
        list.replaceChildren();
        started = false;
      }
      const first = !started;
      const added = show(page.items, 'top');
      if (!started) {
        cursor = page.nextAfter;
        started = true;
      }
      more.hidden = cursor === null;
      const time = new Date().toISOString().slice(11, 16);
      status.textContent = known.size === 0 ? 'No notifications yet.'
        : `${added && !first ? `${added} new. ` : ''}Updated ${time} UTC.`;
    } catch (e) {
      status.textContent = `Could not load notifications: ${e.message}`;
    }
  }

  async function loadMore() {
    if (cursor === null) return;
    try {
      const page = await api.get(`/notifications?limit=${PAGE_SIZE}&after=${encodeURIComponent(cursor)}`);
      const added = show(page.items, 'bottom');
      cursor = page.nextAfter;
      more.hidden = cursor === null;
      status.textContent = `${added} older loaded.`;
    } catch (e) {
      status.textContent = `Could not load notifications: ${e.message}`;
    }
  }

  const timer = setInterval(() => { if (document.visibilityState === 'visible') refresh(); }, REFRESH_MS);
  const onVisible = () => { if (document.visibilityState === 'visible') refresh(); };
  document.addEventListener('visibilitychange', onVisible);
  signal?.addEventListener('abort', () => { clearInterval(timer); document.removeEventListener('visibilitychange', onVisible); });
  refresh();
  return { element, refresh };
}
