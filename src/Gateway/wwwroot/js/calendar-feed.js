import { api } from './api.js';
import { el, when } from './dom.js';

// The caller's calendar subscription (RFC 5545): booking deadlines, departures, returns and readmission reply due dates of
// its operations, for a calendar app that cannot send a token. The address is the key: it is shown once, when it is made,
// and a new one (or stopping it) makes the old one stop working.
export async function calendarFeedSection() {
  const status = el('p', { 'aria-live': 'polite' });
  const address = el('p');
  const section = el('details', { class: 'card', id: 'calendar-feed' }, el('summary', {}, 'Subscribe in a calendar app'),
    el('p', {}, 'Deadlines, departures, returns and readmission reply due dates of your operations, in UTC with each airport\'s time zone named. ',
      'Anyone who has the address sees these dates: keep it to yourself, and make a new one if it was shared.'),
    status, address,
    el('p', {}, el('button', { type: 'button', onclick: issue }, 'Make a new calendar address'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: revoke }, 'Stop the calendar address')));
  const show = (feed) => {
    status.textContent = feed.active ? `A calendar address is active since ${when(feed.issuedAt)}.` : 'No calendar address is active.';
  };
  async function issue() {
    const issued = await api.put('/calendar-feed');
    show({ active: true, issuedAt: issued.issuedAt });
    address.replaceChildren(el('label', { for: 'calendar-feed-url' }, 'Add this address to your calendar app as a subscription (shown once): '),
      el('input', { id: 'calendar-feed-url', type: 'url', readonly: true, size: 60, value: issued.url }));
  }
  async function revoke() {
    await api.del('/calendar-feed');
    address.replaceChildren();
    show({ active: false });
  }
  show(await api.get('/calendar-feed'));
  return section;
}
