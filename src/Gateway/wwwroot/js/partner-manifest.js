import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table } from './dom.js';
import { toast } from './app.js';
import { count, statusWord } from './words.js';
import { manifestReasons, reasonField } from './partner-reasons.js';

// One shared manifest: who is on it, our decision as recorded (after a reload too), and a new decision: clear it,
// or reject named people (or the whole manifest) with a reason (rule 13).
export async function manifestCard(op, country) {
  const manifest = await api.get(`/operations/${encodeURIComponent(op.id)}/manifest`);
  const entries = manifest.entries || [];
  const recorded = el('p', { 'data-decision': op.id }, decisionText(op, country));
  const result = el('div', { 'aria-live': 'polite' });
  const reason = reasonField(`${op.id}-rejection`, manifestReasons, 'Reason for a rejection');
  const rows = entries.map((e, i) => {
    const box = el('input', { type: 'checkbox', name: 'reject', value: e.returneeId, id: `${op.id}-reject-${i + 1}` });
    return el('tr', { 'data-entry': e.returneeId },
      el('td', {}, box, ' ', el('label', { for: box.id, class: 'inline' }, `Person ${i + 1}`), el('span', { class: 'alert', 'data-rejected': '' })),
      el('td', {}, [e.nationality, e.birthYear ? `born ${e.birthYear}` : null, e.sex].filter(Boolean).join(', ') || '—'),
      el('td', {}, e.country), el('td', {}, e.familyGroup ? 'Travels with family' : '—'),
      el('td', {}, (e.vulnerabilities || []).join(', ') || '—'));
  });
  const node = el('section', { class: 'card', 'data-manifest': op.id });
  const send = async (cleared, rejected, button) => {
    result.replaceChildren();
    const why = reason.read();
    if ((!cleared || rejected.length) && !why) {
      result.append(el('p', { class: 'problem' }, 'Choose a reason for the rejection: the organiser passes it on.'));
      return;
    }
    button.disabled = true;
    try {
      const updated = await api.post(`/operations/${encodeURIComponent(op.id)}/clearance`,
        { cleared: cleared && rejected.length === 0, rejectedReturnees: rejected, reason: cleared && !rejected.length ? null : why });
      recorded.textContent = decisionText(updated, country);
      markRejected(node, updated, country);
      result.append(el('p', { class: 'ok' }, cleared && !rejected.length ? 'Manifest cleared.'
        : rejected.length ? `${count(rejected.length, 'person', 'people')} rejected.` : 'Manifest rejected.'));
      toast('Decision sent to the organiser.');
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      result.append(el('p', { class: 'problem' }, explain(e)));
    } finally {
      button.disabled = false;
    }
  };
  const ticked = () => [...node.querySelectorAll('input[name=reject]:checked')].map((i) => i.value);
  const clear = el('button', { type: 'button', onclick: () => send(true, [], clear) }, 'Clear manifest');
  const rejectPeople = el('button', { type: 'button', class: 'secondary', onclick: () => {
    const people = ticked();
    if (!people.length) {
      result.replaceChildren(el('p', { class: 'problem' }, 'Tick the people to reject first.'));
      return;
    }
    send(false, people, rejectPeople);
  } }, 'Reject the ticked people');
  const rejectAll = el('button', { type: 'button', class: 'secondary', onclick: () => send(false, [], rejectAll) }, 'Reject the whole manifest');
  node.append(
    el('h4', {}, `${op.id} — ${statusWord(op.status)}, ${count(entries.length, 'returnee')}`), recorded,
    table(['Person', 'Nationality, born, sex', 'Sending state', 'Family', 'Vulnerabilities'], rows, `Returnees on ${op.id}`),
    el('p', {}, clear), reason.node, el('p', {}, rejectPeople, ' ', rejectAll), result);
  markRejected(node, op, country);
  return node;
}

// The people our current decision rejects are marked in the list, so that the decision reads the same after a reload.
function markRejected(node, op, country) {
  const ours = (op.clearances || []).find((c) => c.destination === country);
  const rejected = new Set(ours?.current ? ours.rejectedReturnees : []);
  for (const row of node.querySelectorAll('tr[data-entry]')) {
    row.querySelector('[data-rejected]').textContent = rejected.has(row.dataset.entry) ? ' — rejected by us' : '';
  }
}

function decisionText(op, country) {
  const ours = (op.clearances || []).find((c) => c.destination === country);
  if (!ours) return 'We have not decided on this manifest yet.';
  const stale = ours.current ? '' : ' The manifest has changed since: decide again.';
  if (ours.cleared) return `We cleared this manifest.${stale}`;
  const who = ours.rejectedReturnees.length ? `rejected ${count(ours.rejectedReturnees.length, 'person', 'people')}` : 'rejected the whole manifest';
  return `We ${who}: ${ours.reason || 'no reason recorded'}.${stale}`;
}
