import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { statusWord, documentKindWord } from './words.js';
import { euTravelDocumentCell } from './coordinator-eu-travel-document.js';

// Rule 17 on the coordinator's page: which cases wait on a destination to identify them and issue a travel document,
// a form on each case to send the request, and a new document asked for when the transfer slips.
const REQUESTS = '/identification-requests?limit=1000';

// The state's requests, newest first; the newest per case is the one its row shows.
export async function identificationRequests() {
  const list = (await api.get(REQUESTS)).items || [];
  const byReturnee = new Map();
  for (const r of list) if (!byReturnee.has(r.returneeId)) byReturnee.set(r.returneeId, r);
  return { list, byReturnee };
}

// The cell of one case: the newest request's state, and a way to send one while the case has no valid document.
export function identificationCell(returnee, requests, destinations, onSent) {
  const current = requests.byReturnee.get(returnee.id);
  const cell = el('td', { 'aria-live': 'polite' });
  if (current) cell.append(el('p', {}, summary(current)));
  const needsDocument = (returnee.violations || []).some((v) => v.rule === 'travel-document');
  const open = current && ['AwaitingIdentity', 'AwaitingDocument'].includes(current.status);
  if (returnee.reference && needsDocument && !open) cell.append(sendForm(returnee, destinations, cell, onSent));
  if (!cell.childNodes.length) cell.append('—');
  return cell;
}

function summary(r) {
  const late = r.overdue ? el('strong', { class: 'alert' }, ' overdue') : '';
  return el('span', {}, `${r.destination}: ${statusWord(r.status)}`, late,
    ['AwaitingIdentity', 'AwaitingDocument'].includes(r.status) ? ` (due ${when(r.dueBy)})` : '');
}

function sendForm(returnee, destinations, cell, onSent) {
  const id = `identify-${returnee.id}`;
  const select = el('select', { id, required: true },
    destinations.map((d) => el('option', { value: d.code, selected: d.code === returnee.nationality }, `${d.name} (${d.code})`)));
  const problem = el('div');
  const button = el('button', { type: 'submit', class: 'secondary' }, 'Ask to identify');
  const form = el('form', { class: 'inline', 'aria-label': `Identification request for ${returnee.reference}` },
    el('label', { for: id }, 'Destination'), select, button, problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.replaceChildren();
    button.disabled = true;
    try {
      const sent = await api.post(`/returnees/${encodeURIComponent(returnee.id)}/identification-requests`, { destination: select.value });
      cell.replaceChildren(el('p', {}, summary(sent)));
      toast(`Identification request sent to ${sent.destination}.`);
      onSent?.();
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problem.append(el('p', { class: 'problem' }, explain(e)));
      button.disabled = false;
    }
  });
  return form;
}

// Every request of the state with its document; an issued one can be asked for again when the transfer slips.
export function identificationSection(requests, returnees) {
  const reference = new Map(returnees.map((r) => [r.id, r.reference || 'Erased']));
  const rows = requests.list.map((r) => {
    const action = el('td', { 'aria-live': 'polite' });
    if (r.status === 'DocumentIssued') {
      const button = el('button', { type: 'button', class: 'secondary' }, 'Ask for a new document');
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          const again = await api.post(`/identification-requests/${encodeURIComponent(r.id)}/reissue`);
          action.replaceChildren(summary(again));
          toast('A new document was asked for.');
        } catch (e) {
          if (!(e instanceof Problem)) throw e;
          action.append(el('p', { class: 'problem' }, explain(e)));
          button.disabled = false;
        }
      });
      action.append(button);
    }
    const details = el('td', {}, '—');
    if (r.status !== 'AwaitingIdentity') {
      // The document and any refusal are on the request itself; read only for requests past their first step.
      api.get(`/identification-requests/${encodeURIComponent(r.id)}`).then(({ request }) => details.replaceChildren(detail(request)));
    }
    return el('tr', { 'data-identification': r.id },
      el('td', {}, reference.get(r.returneeId) || r.returneeId), el('td', {}, summary(r)), details, action,
      euTravelDocumentCell(r, reference.get(r.returneeId) || r.returneeId));
  });
  return el('section', { class: 'card', id: 'identification', 'aria-labelledby': 'identification-heading' },
    el('h3', { id: 'identification-heading' }, 'Identification and travel documents'),
    table(['Case', 'Request', 'Document or refusal', 'Transfer slipped', 'European travel document for return'], rows, 'Identification requests of our state'));
}

function detail(r) {
  if (r.refusalReason) return `${statusWord(r.refusalReason)}: ${r.refusalText}`;
  if (!r.documentKind) return '—';
  return `${documentKindWord(r.documentKind)} ${r.documentNumber}, valid ${r.documentValidFrom} to ${r.documentValidUntil}`;
}
