import { api, Problem } from './api.js';
import { explainEach } from './rules.js';
import { el } from './dom.js';
import { typeWord, operationTypes } from './words.js';

// The organiser plans a new operation (api.md POST /operations): it starts as a draft only its organiser sees.
// Times are entered and shown in UTC, as the API keeps them.
export async function createOperationForm(onCreated) {
  const countries = await api.get('/countries');
  const destinations = countries.filter((c) => ['ThirdCountry', 'WesternBalkans'].includes(c.group));
  const airports = [...new Set(countries.flatMap((c) => c.airports || []))].sort();
  const departure = utcInput(addDays(30));
  const deadline = utcInput(addDays(23));
  const problem = el('div', { 'aria-live': 'assertive' });
  const leg = (n) => el('div', { class: 'grid leg', 'data-leg': n },
    el('div', {}, el('label', { for: `leg-${n}-from` }, `Leg ${n}: from (airport)`),
      el('input', { id: `leg-${n}-from`, name: 'from', list: 'airports', maxlength: 3, size: 6, required: n === 1, autocomplete: 'off' })),
    el('div', {}, el('label', { for: `leg-${n}-to` }, `Leg ${n}: to (airport)`),
      el('input', { id: `leg-${n}-to`, name: 'to', list: 'airports', maxlength: 3, size: 6, required: n === 1, autocomplete: 'off' })),
    el('div', {}, el('label', { for: `leg-${n}-departure` }, `Leg ${n}: departure (UTC)`),
      el('input', { id: `leg-${n}-departure`, name: 'departure', type: 'datetime-local', required: n === 1, value: n === 1 ? departure : undefined })));
  const form = el('form', { class: 'card', id: 'create-operation', onsubmit: submit },
    el('div', { class: 'grid' },
      el('div', {}, el('label', { for: 'op-type' }, 'Type'),
        el('select', { id: 'op-type' }, operationTypes.map((t) => el('option', { value: t }, typeWord(t))))),
      el('div', {}, el('label', { for: 'op-capacity' }, 'Seats on the aircraft'), el('input', { id: 'op-capacity', type: 'number', min: 1, max: 500, value: 60, required: true })),
      el('div', {}, el('label', { for: 'op-deadline' }, 'Booking deadline (UTC)'), el('input', { id: 'op-deadline', type: 'datetime-local', value: deadline, required: true })),
      el('div', {}, el('label', { for: 'op-escorts' }, 'Escorts per forced returnee'), el('input', { id: 'op-escorts', type: 'number', min: 0, max: 5, step: 0.5, value: 2, required: true }))),
    el('fieldset', {}, el('legend', {}, 'Destinations (one to three)'),
      el('div', { class: 'choices' }, destinations.map((c) => el('label', { class: 'check' },
        el('input', { type: 'checkbox', name: 'destination', value: c.code }), ` ${c.name} (${c.code})`)))),
    el('fieldset', {}, el('legend', {}, 'Legs, with pick-up stopovers in order'), leg(1), leg(2), leg(3),
      el('datalist', { id: 'airports' }, airports.map((a) => el('option', { value: a })))),
    el('label', { class: 'check', for: 'op-supplies' }, el('input', { id: 'op-supplies', type: 'checkbox' }),
      ' We supply all escorts (every other state still sends two representatives)'),
    el('p', {}, el('button', { type: 'submit' }, 'Create as draft')),
    problem);

  async function submit(event) {
    event.preventDefault();
    problem.replaceChildren();
    const value = (id) => form.querySelector(`#${id}`).value;
    const legs = [...form.querySelectorAll('.leg')]
      .map((row) => ({ from: row.querySelector('[name=from]').value.trim().toUpperCase(), to: row.querySelector('[name=to]').value.trim().toUpperCase(), departure: row.querySelector('[name=departure]').value }))
      // An unused stopover row names no airport.
      .filter((l) => l.from || l.to)
      .map((l) => ({ ...l, departure: utc(l.departure) }));
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = await api.post('/operations', {
        type: value('op-type'),
        destinations: [...form.querySelectorAll('input[name=destination]:checked')].map((i) => i.value),
        legs, seatCapacity: Number(value('op-capacity')), bookingDeadline: utc(value('op-deadline')),
        escortsPerReturnee: Number(value('op-escorts')), organiserSuppliesEscorts: form.querySelector('#op-supplies').checked,
      });
      form.reset();
      onCreated(created);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problem.append(el('div', { class: 'problem', id: 'create-refused' }, el('strong', {}, 'Not created. '),
        el('ul', {}, explainEach(e).map((line) => el('li', {}, line)))));
    } finally {
      button.disabled = false;
    }
  }
  return form;
}

const addDays = (days) => new Date(Date.now() + days * 86_400_000);
const utcInput = (date) => `${date.toISOString().slice(0, 10)}T08:00`;
const utc = (local) => (local ? `${local}:00Z` : null);
