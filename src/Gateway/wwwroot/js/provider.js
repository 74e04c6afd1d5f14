import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { statusWord } from './words.js';
import { notificationsPanel } from './notifications.js';
import { loadMore } from './paging.js';

// A reintegration service provider (rule 18): the referrals addressed to it, each with the little it may know of the person
// (nothing once consent is withdrawn), its steps with their dates, and a form for the next step. Its notifications on top.
const REFERRALS = '/reintegration-referrals?limit=50';

export async function renderProvider(main, claims, signal) {
  const page = await api.get(REFERRALS);
  const referrals = await read(page.items);
  const list = table(['Person', 'From', 'Status and steps', 'Follow-ups', 'Next step'], referrals.map(row), 'Referrals addressed to us');
  const more = loadMore(REFERRALS, page.nextAfter, async (next) => list.querySelector('tbody').append(...(await read(next)).map(row)));
  main.append(notificationsPanel(signal).element, el('p', {}, `Referrals to ${claims.provider}. We see only what a referral needs.`), list, more);
}

const read = (items) => Promise.all(items.map((r) => api.get(`/reintegration-referrals/${encodeURIComponent(r.id)}`)));
const sexWord = { F: 'female', M: 'male', X: 'sex unspecified' };
const today = () => new Date().toISOString().slice(0, 10);

function person(p, referral) {
  if (!p) return referral.status === 'Stopped' ? 'Consent withdrawn: nothing is shared any more' : 'No personal data shared';
  return el('span', {}, `${p.nationality} national, born ${p.birthYear}, ${sexWord[p.sex] || p.sex}; ${p.voluntary ? 'voluntary' : 'forced'} return`,
    p.vulnerabilities?.length ? el('br') : null, p.vulnerabilities?.length ? `Needs: ${p.vulnerabilities.join(', ')}` : null);
}

function steps(r) {
  return el('div', {}, el('strong', {}, statusWord(r.status)),
    el('ul', {}, r.steps.map((s) => el('li', {}, `${s.step} on ${s.on}`))),
    r.planSummary ? el('p', {}, `Plan: ${r.planSummary}`) : null,
    r.assistance.length ? el('p', {}, `Assistance: ${r.assistance.map((a) => `€${a.amountEur.toFixed(2)} ${a.kind === 'Cash' ? 'cash' : 'in kind'} (${a.deliveredOn})`).join('; ')}`) : null);
}

function followUps(r) {
  if (!r.followUps.length) return '—';
  return el('ul', {}, r.followUps.map((f) => el('li', {}, `${f.month} months, due ${f.dueOn}: ${statusWord(f.state)}${f.reachedOn ? ` (${f.reachedOn})` : ''}`)));
}

// The steps the provider can take from where the referral stands; the gateway decides, the form only offers.
function choices(r) {
  const open = !['Declined', 'Completed', 'Stopped'].includes(r.status);
  if (!open) return [];
  const next = {
    Referred: ['Accept', 'Decline'], Accepted: ['Reception'], Received: ['Plan'], Planned: ['Assistance'], AssistanceDelivered: ['Assistance'],
  }[r.status] || [];
  const due = r.followUps.filter((f) => f.state === 'Due' || f.state === 'Overdue').map((f) => `FollowUp${f.month}`);
  return [...next, ...due];
}

const stepWords = {
  Accept: 'Accept the referral', Decline: 'Decline (give the reason)', Reception: 'Received on arrival', Plan: 'Reintegration plan agreed (summary)',
  Assistance: 'Assistance delivered', FollowUp6: 'Follow-up at 6 months reached', FollowUp12: 'Follow-up at 12 months reached',
};

function row({ referral: r, person: p }) {
  const id = r.id;
  const cell = el('td', { 'aria-live': 'polite' });
  const options = choices(r);
  if (options.length) {
    const problem = el('div', { role: 'alert' });
    const step = el('select', { id: `${id}-step` }, options.map((o) => el('option', { value: o }, stepWords[o])));
    const on = el('input', { id: `${id}-on`, type: 'date', value: today(), max: today(), required: true });
    const note = el('textarea', { id: `${id}-note`, rows: 2, maxlength: 2000 });
    const kind = el('select', { id: `${id}-kind` }, el('option', { value: 'Cash' }, 'Cash'), el('option', { value: 'InKind' }, 'In kind'));
    const amount = el('input', { id: `${id}-amount`, type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal' });
    const submit = async (event) => {
      event.preventDefault();
      problem.replaceChildren();
      const chosen = step.value;
      const body = { step: chosen.startsWith('FollowUp') ? 'FollowUp' : chosen, on: on.value };
      if (chosen.startsWith('FollowUp')) body.month = Number(chosen.slice(8));
      if (note.value.trim()) body.note = note.value.trim();
      if (chosen === 'Assistance') {
        body.kind = kind.value;
        body.amountEur = Number(amount.value);
      }
      try {
        const updated = await api.post(`/reintegration-referrals/${encodeURIComponent(id)}/steps`, body);
        cell.closest('tr').replaceWith(row(updated));
        toast('Step recorded.');
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        problem.append(el('p', { class: 'problem' }, explain(e)));
      }
    };
    cell.append(el('form', { onsubmit: submit },
      el('label', { for: `${id}-step` }, 'Step'), step,
      el('label', { for: `${id}-on` }, 'On (day)'), on,
      el('label', { for: `${id}-note` }, 'Note (plan summary or reason for declining)'), note,
      el('label', { for: `${id}-kind` }, 'Assistance kind'), kind,
      el('label', { for: `${id}-amount` }, 'Amount (EUR)'), amount,
      el('p', {}, el('button', { type: 'submit' }, 'Record step')), problem));
  } else {
    cell.append(statusWord(r.status));
  }
  return el('tr', { 'data-referral': id },
    el('td', {}, person(p, r)), el('td', {}, `${r.owner}, referred ${when(r.referredAt)}`), el('td', {}, steps(r)), el('td', {}, followUps(r)), cell);
}
