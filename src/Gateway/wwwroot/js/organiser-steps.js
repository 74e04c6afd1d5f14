import { api, Problem } from './api.js';
import { explainEach } from './rules.js';
import { el } from './dom.js';
import { statusWord } from './words.js';

// Each lifecycle step the organiser may take next, with what the server will check before it lets the step through.
const steps = {
  Announced: {
    button: 'Announce',
    checks: 'Opens booking to every participating state until the booking deadline. Refused once the deadline has passed.',
  },
  BookingClosed: {
    button: 'Close booking',
    checks: 'Closes booking now, before the deadline; waitlisted bookings stay on the waitlist. Then share the manifest with the destinations.',
  },
  Confirmed: {
    button: 'Confirm',
    checks: 'Makes the manifest final. Checks: a forced-return monitor for forced returns (rule 7), at least one medical staff member on a charter (rule 9), '
      + 'enough escorts (rule 8), every returnee still eligible (rules 1–6), every staff member named with a valid document (rule 6) '
      + 'and every destination\'s clearance of the current manifest, or your override with a reason (rule 13).',
  },
  Departed: {
    button: 'Record departure',
    checks: 'Records that the aircraft left; returnees not on board are released for another operation. No-shows are recorded afterwards.',
  },
  Completed: {
    button: 'Complete',
    checks: 'Ends the operation after hand-over; personal data is erased after the retention period (rule 15).',
  },
};
const next = {
  Draft: ['Announced'], Announced: ['BookingClosed'], BookingClosed: ['Confirmed'], Confirmed: ['Departed'], Departed: ['Completed'],
};
const cancellable = ['Draft', 'Announced', 'BookingClosed', 'Confirmed'];

// The buttons of one operation; `changed` receives the operation after a step went through.
export function lifecycleSteps(op, changed) {
  const problem = el('div', { 'aria-live': 'assertive' });
  const path = `/operations/${encodeURIComponent(op.id)}/status`;
  const send = async (button, body) => {
    problem.replaceChildren();
    button.disabled = true;
    try {
      changed(await api.post(path, body));
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problem.append(el('div', { class: 'problem', 'data-refused': body.to, 'data-rule': e.rule || '' },
        el('strong', {}, `Not ${statusWord(body.to).toLowerCase()}. `),
        el('ul', {}, explainEach(e).map((line) => el('li', {}, line)))));
    } finally {
      button.disabled = false;
    }
  };
  const parts = (next[op.status] || []).map((to) => step(op, to, send));
  if (cancellable.includes(op.status)) parts.push(cancelStep(op, send));
  return parts.length ? el('div', { class: 'steps' }, parts, problem) : el('p', { class: 'muted' }, 'The operation has ended.');
}

function step(op, to, send) {
  const { button, checks } = steps[to];
  const help = `${op.id}-${to}-checks`;
  const action = el('button', { type: 'button', 'aria-describedby': help, onclick: () => send(action, body()) }, button);
  let override = null;
  let reason = null;
  // Issue 24: a destination's rejection still standing blocks the departure unless the organiser overrides it with a reason.
  const rejected = to === 'Departed' && (op.clearances || []).some((c) => c.outstanding);
  if (to === 'Confirmed' || rejected) {
    override = el('input', { id: `${op.id}-override`, type: 'checkbox' });
    reason = el('input', { id: `${op.id}-override-reason`, maxlength: 200, class: 'wide' });
  }
  if (rejected) {
    action.disabled = true;
    override.addEventListener('change', () => { action.disabled = !override.checked; });
  }
  function body() {
    return override?.checked ? { to, overrideClearance: true, reason: reason.value.trim() } : { to };
  }
  return el('div', { class: 'step' },
    el('p', {}, action, ' ', el('span', { id: help, class: 'muted' }, checks)),
    override ? el('div', {},
      el('label', { class: 'check', for: override.id }, override,
        rejected ? ' Depart despite the destination\'s rejection' : ' Confirm without every destination\'s clearance'),
      el('label', { for: reason.id }, 'Reason for the override'), reason) : null);
}

function cancelStep(op, send) {
  const reason = el('input', { id: `${op.id}-cancel-reason`, maxlength: 200, class: 'wide', required: true });
  const action = el('button', { type: 'submit', class: 'secondary' }, 'Cancel operation');
  return el('form', { class: 'step', onsubmit: (e) => { e.preventDefault(); send(action, { to: 'Cancelled', reason: reason.value.trim() }); } },
    el('label', { for: reason.id }, 'Reason for cancelling (every participating state receives it)'), reason,
    el('p', {}, action, ' ', el('span', { class: 'muted' }, 'Only before departure. Booked returnees are freed for other operations.')));
}
