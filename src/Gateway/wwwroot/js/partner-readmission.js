import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { statusWord } from './words.js';
import { readmissionReasons, reasonField } from './partner-reasons.js';

// Readmission requests addressed to us, each with whom it is about (what identifies the person, no more) and the
// answer: accept, or refuse with a reason from the list and particulars.
export async function readmissionRequests() {
  const list = items(await api.get('/readmission-requests'));
  const requests = await Promise.all(list.map((r) => api.get(`/readmission-requests/${encodeURIComponent(r.id)}`)));
  return table(['Person', 'From', 'Reply due by', 'Answer'], requests.map(row), 'Readmission requests addressed to us');
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);
const sexWord = { F: 'female', M: 'male', X: 'sex unspecified' };

function person(p) {
  if (!p) return 'Personal data erased';
  return el('span', {}, el('strong', {}, p.reference), el('br'),
    `${p.nationality} national (claimed), born ${p.birthYear}, ${sexWord[p.sex] || p.sex}; `,
    p.travelDocument ? 'holds a valid travel document' : 'no valid travel document');
}

function decided(r) {
  return el('span', {}, statusWord(r.status), r.reason ? ` — ${r.reason}` : '');
}

function row({ request: r, person: p }) {
  const cell = el('td', { 'aria-live': 'polite' });
  if (r.status === 'Pending') {
    const reason = reasonField(`${r.id}-refusal`, readmissionReasons, 'Refusal');
    const problem = el('div');
    const answer = async (accepted, button) => {
      problem.replaceChildren();
      const why = accepted ? null : reason.read();
      if (!accepted && !why) {
        problem.append(el('p', { class: 'problem' }, 'Choose a reason for the refusal: the requesting state needs it.'));
        return;
      }
      button.disabled = true;
      try {
        const answered = await api.post(`/readmission-requests/${encodeURIComponent(r.id)}/reply`, { accepted, reason: why });
        cell.replaceChildren(decided(answered));
        toast('Reply sent.');
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        problem.append(el('p', { class: 'problem' }, explain(e)));
        button.disabled = false;
      }
    };
    const accept = el('button', { type: 'button', onclick: () => answer(true, accept) }, 'Accept');
    const refuse = el('button', { type: 'button', class: 'secondary', onclick: () => answer(false, refuse) }, 'Refuse');
    cell.append(el('p', {}, accept), reason.node, el('p', {}, refuse), problem);
  } else {
    cell.append(decided(r));
  }
  return el('tr', { 'data-request': r.id }, el('td', {}, person(p)), el('td', {}, r.owner), el('td', {}, when(r.replyDueBy)), cell);
}
