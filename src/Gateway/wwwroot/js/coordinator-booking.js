import { api, Problem } from './api.js';
import { explainEach, explainCode } from './rules.js';
import { el, table } from './dom.js';
import { toast } from './app.js';
import { count, statusWord, typeWord } from './words.js';

// Seat requests on announced operations. The picker shows what the booking rules look at (family group, nationality,
// forced or voluntary, eligibility), and ticking one member of a family ticks the whole family (rule 4).
export function bookingForm(operations, returnees, onBooked) {
  const problem = el('div', { id: 'booking-problem', 'aria-live': 'assertive' });
  const select = el('select', { id: 'operation', required: true },
    operations.map((o) => el('option', { value: o.id }, `${o.id} — ${typeWord(o.type)} to ${(o.destinations || []).join(', ')} (${statusWord(o.status)})`)));
  const pickable = returnees.filter((r) => ['Available', 'Ineligible'].includes(r.status));
  const number = (id, text, value) => el('div', {}, el('label', { for: id }, text), el('input', { id, type: 'number', min: 0, max: 500, value }));
  const form = el('form', { class: 'card', id: 'booking-form', onsubmit: submit },
    el('label', { for: 'operation' }, 'Operation'), select,
    el('fieldset', {}, el('legend', {}, 'Returnees'),
      pickable.length ? picker(pickable) : el('p', {}, 'No available returnees.')),
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
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const booking = await api.post(`/operations/${encodeURIComponent(select.value)}/bookings`, body);
      problem.append(el('p', { class: 'ok', id: 'booking-result' }, `Booked on ${select.value}: ${statusWord(booking.status)} (${count(booking.seats, 'seat')}).`));
      toast(`Booking ${statusWord(booking.status).toLowerCase()}.`);
      onBooked();
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problem.append(el('div', { class: 'problem', id: 'booking-refused', 'data-rule': e.rule || '' },
        el('strong', {}, 'Not booked. '), el('ul', {}, explainEach(e).map((line) => el('li', {}, named(line, returnees))))));
    } finally {
      button.disabled = false;
    }
  }
  return form;
}

// A refusal names returnees by their opaque id; the clerk knows them by case reference.
function named(line, returnees) {
  return returnees.reduce((text, r) => (r.reference ? text.replaceAll(r.id, r.reference) : text), line);
}

function picker(returnees) {
  const families = {};
  for (const r of returnees) if (r.familyGroup) (families[r.familyGroup] ||= []).push(r);
  const rows = returnees.map((r) => {
    const broken = r.violations || [];
    // A case that cannot travel gets no box: the row says why instead.
    const box = broken.length ? null : el('input', { type: 'checkbox', name: 'returnee', value: r.id, id: `pick-${r.id}`, 'data-family': r.familyGroup || undefined });
    const family = r.familyGroup ? `${r.familyGroup} (${count(families[r.familyGroup].length, 'member')} here)` : '—';
    return el('tr', { 'data-pick': r.id },
      el('td', {}, box ? [box, ' ', el('label', { for: box.id, class: 'inline' }, r.reference || r.id)] : r.reference || r.id),
      el('td', {}, family), el('td', {}, r.nationality || '—'), el('td', {}, r.voluntary ? 'Voluntary' : 'Forced'),
      el('td', {}, broken.length ? el('ul', { class: 'alert' }, [...new Set(broken.map((v) => v.rule))].map((rule) => el('li', {}, explainCode(rule))))
        : el('span', { class: 'ok' }, 'Eligible')));
  });
  const wrap = table(['Case', 'Family group', 'Nationality', 'Return', 'Eligibility'], rows, 'Returnees that can be booked');
  // Rule 4: a family travels together or not at all, so one tick selects (or clears) every member.
  wrap.addEventListener('change', (event) => {
    const family = event.target.dataset?.family;
    if (!family) return;
    for (const other of wrap.querySelectorAll('input[name=returnee]')) {
      if (other.dataset.family === family) other.checked = event.target.checked;
    }
  });
  return wrap;
}
