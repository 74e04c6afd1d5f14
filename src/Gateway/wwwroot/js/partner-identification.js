import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { statusWord, documentKindWord, refusalReasons } from './words.js';

// Identification requests addressed to us (rule 17): whom each is about, then confirm or refuse identity and
// nationality, then issue or accept the travel document. Every answer stays visible after a reload.
export async function identificationRequests() {
  const list = (await api.get('/identification-requests?limit=1000')).items || [];
  const requests = await Promise.all(list.map((r) => api.get(`/identification-requests/${encodeURIComponent(r.id)}`)));
  return table(['Person', 'From', 'Due by', 'Answer'], requests.map(row), 'Identification requests addressed to us');
}

const sexWord = { F: 'female', M: 'male', X: 'sex unspecified' };

function person(p) {
  if (!p) return 'Personal data erased';
  return el('span', {}, el('strong', {}, p.reference), el('br'), `${p.nationality} national (claimed), born ${p.birthYear}, ${sexWord[p.sex] || p.sex}`);
}

function outcome(r) {
  if (r.status === 'Refused') return `${statusWord(r.status)} — ${statusWord(r.refusalReason)}: ${r.refusalText}`;
  if (r.status === 'DocumentIssued') return `${documentKindWord(r.documentKind)} ${r.documentNumber} issued, valid until ${r.documentValidUntil}`;
  return statusWord(r.status);
}

function row({ request: r, person: p }) {
  const cell = el('td', { 'aria-live': 'polite' });
  const done = (answered, text) => { cell.replaceChildren(outcome(answered)); toast(text); };
  if (r.status === 'AwaitingIdentity') cell.append(identityForm(r, done));
  else if (r.status === 'AwaitingDocument') cell.append(documentForm(r, done));
  else cell.append(outcome(r));
  const due = ['AwaitingIdentity', 'AwaitingDocument'].includes(r.status)
    ? el('span', {}, when(r.dueBy), r.overdue ? el('strong', { class: 'alert' }, ' overdue') : '') : '—';
  return el('tr', { 'data-identification': r.id }, el('td', {}, person(p)), el('td', {}, r.owner), el('td', {}, due), cell);
}

// Posts, then shows the answer; a refusal of the server is said in words beside the form.
async function send(path, body, button, problem) {
  problem.replaceChildren();
  button.disabled = true;
  try {
    return await api.post(path, body);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    problem.append(el('p', { class: 'problem' }, explain(e)));
    button.disabled = false;
    return null;
  }
}

function identityForm(r, done) {
  const path = `/identification-requests/${encodeURIComponent(r.id)}`;
  const problem = el('div');
  const reason = el('select', { id: `${r.id}-reason` }, el('option', { value: '' }, 'Choose a reason…'),
    refusalReasons.map((code) => el('option', { value: code }, statusWord(code))));
  const text = el('input', { id: `${r.id}-text`, maxlength: 1000, class: 'wide', autocomplete: 'off' });
  const confirm = el('button', { type: 'button' }, 'Confirm identity and nationality');
  const refuse = el('button', { type: 'button', class: 'secondary' }, 'Refuse');
  confirm.addEventListener('click', async () => {
    const answered = await send(`${path}/confirm`, undefined, confirm, problem);
    if (answered) done(answered, 'Identity confirmed: the travel document is due next.');
  });
  refuse.addEventListener('click', async () => {
    if (!reason.value || !text.value.trim()) {
      problem.replaceChildren(el('p', { class: 'problem' }, 'Choose a reason and say why: the requesting state needs both.'));
      return;
    }
    const answered = await send(`${path}/refuse`, { reason: reason.value, text: text.value.trim() }, refuse, problem);
    if (answered) done(answered, 'Refusal sent.');
  });
  return el('div', {}, el('p', {}, confirm),
    el('fieldset', { class: 'reason' }, el('legend', {}, 'Refusal'),
      el('label', { for: reason.id }, 'Reason'), reason, el('label', { for: text.id }, 'Why'), text),
    el('p', {}, refuse), problem);
}

function documentForm(r, done) {
  const id = (name) => `${r.id}-${name}`;
  const today = new Date().toISOString().slice(0, 10);
  const kind = el('select', { id: id('kind'), required: true },
    ['EmergencyTravelDocument', 'Passport', 'EuTravelDocumentForReturn'].map((k) => el('option', { value: k }, documentKindWord(k))));
  const number = el('input', { id: id('number'), required: true, maxlength: 40, autocomplete: 'off' });
  const from = el('input', { id: id('from'), type: 'date', required: true, value: today, max: today });
  const until = el('input', { id: id('until'), type: 'date', required: true });
  const problem = el('div');
  const button = el('button', { type: 'submit' }, 'Record the document');
  const form = el('form', { 'aria-label': 'Travel document issued or accepted' },
    el('label', { for: kind.id }, 'Kind'), kind, el('label', { for: number.id }, 'Number'), number,
    el('label', { for: from.id }, 'Valid from'), from, el('label', { for: until.id }, 'Valid until'), until,
    el('p', { class: 'muted' }, 'The European travel document for return only where our arrangement accepts it.'),
    el('p', {}, button), problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answered = await send(`/identification-requests/${encodeURIComponent(r.id)}/document`,
      { kind: kind.value, number: number.value.trim(), validFrom: from.value, validUntil: until.value }, button, problem);
    if (answered) done(answered, 'Travel document recorded.');
  });
  return form;
}
