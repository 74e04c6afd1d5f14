import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el } from './dom.js';
import { toast } from './app.js';
import { count } from './words.js';

// Rule 6: every staff member needs a valid travel document. A booking takes seats by counts; the state names its
// people later (a service number, never a name), and the organiser cannot confirm until every one is named.
const ROLES = [['escorts', 'Escort'], ['medical', 'Medical'], ['monitors', 'Monitor'], ['interpreters', 'Interpreter'], ['observers', 'Observer']];
const OPEN = ['Announced', 'BookingClosed', 'Confirmed'];

export async function staffSection(country) {
  const operations = (await Promise.all(OPEN.map((s) => api.get(`/operations?status=${s}&pageSize=100`).then(items)))).flat();
  const forms = [];
  for (const op of operations) {
    const bookings = items(await api.get(`/operations/${encodeURIComponent(op.id)}/bookings`));
    // The organiser sees every booking of its operation; a state names only its own people.
    forms.push(...bookings.filter((b) => b.country === country && b.status === 'Confirmed' && staffCount(b) > 0).map((b) => staffForm(op, b)));
  }
  return el('section', { 'aria-labelledby': 'staff-heading' },
    el('h3', { id: 'staff-heading' }, 'Staff of our bookings'),
    el('p', {}, 'Every staff member needs a travel document valid on the day of departure. Give a service number, never a name.'),
    forms.length ? forms : el('p', {}, 'No confirmed booking with staff to name.'));
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);
const staffCount = (b) => ROLES.reduce((sum, [key]) => sum + (b[key] || 0), 0);
// The booking's id is an opaque hash; the operation and the counts tell the clerk which booking this is.
const summaryText = (op, b) => `${op.id}, our booking of ${count(b.seats, 'seat')}: ${b.namedStaff} of ${staffCount(b)} staff named`;

function staffForm(op, booking) {
  const rows = [];
  for (const [key, role] of ROLES) {
    const named = (booking.staff || []).filter((m) => m.role === role);
    for (let i = 0; i < (booking[key] || 0); i++) {
      const id = `${booking.id}-${role}-${i + 1}`;
      rows.push(el('div', { class: 'grid staff-member', 'data-role': role },
        el('div', {}, el('label', { for: `${id}-ref` }, `${role} ${i + 1}: service number`),
          el('input', { id: `${id}-ref`, name: 'reference', required: true, maxlength: 64, value: named[i]?.reference })),
        el('div', {}, el('label', { for: `${id}-doc` }, `${role} ${i + 1}: document valid until`),
          el('input', { id: `${id}-doc`, name: 'validUntil', type: 'date', required: true, value: named[i]?.travelDocumentValidUntil }))));
    }
  }
  const summary = el('summary', {}, summaryText(op, booking));
  const result = el('p', { 'aria-live': 'polite' });
  const form = el('form', { class: 'card', onsubmit: submit }, rows, el('p', {}, el('button', { type: 'submit' }, 'Save staff')), result);

  async function submit(event) {
    event.preventDefault();
    const staff = [...form.querySelectorAll('.staff-member')].map((row) => ({
      reference: row.querySelector('[name=reference]').value.trim(),
      role: row.dataset.role,
      travelDocumentValidUntil: row.querySelector('[name=validUntil]').value,
    }));
    try {
      const saved = await api.put(`/operations/${encodeURIComponent(op.id)}/bookings/${encodeURIComponent(booking.id)}/staff`, { staff });
      summary.textContent = summaryText(op, saved);
      result.textContent = `Staff saved: ${saved.namedStaff} of ${staffCount(saved)} named.`;
      result.className = 'ok';
      toast('Staff saved.');
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      result.textContent = `Not saved. ${explain(e)}`;
      result.className = 'problem';
    }
  }
  return el('details', { 'data-staff': booking.id }, summary, form);
}
