import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { notificationsPanel } from './notifications.js';

// A partner (destination) country: readmission requests to answer by their due dates, and the
// manifests of operations to it to clear before departure, and its notifications.
export async function renderPartner(main, claims, signal) {
  const requests = items(await api.get('/readmission-requests'));
  const candidates = items(await api.get(`/operations?destination=${claims.country}&pageSize=100`))
    .filter((o) => ['BookingClosed', 'Confirmed'].includes(o.status));
  // Rule 16: a manifest reaches the destination only once the organiser has shared it.
  const operations = (await Promise.all(candidates.map((o) => api.get(`/operations/${encodeURIComponent(o.id)}`))))
    .filter((o) => o.manifestShared);
  main.append(notificationsPanel(signal).element, el('h3', {}, 'Readmission requests'), requestTable(requests),
    el('h3', {}, 'Manifests to clear'), ...(await Promise.all(operations.map(manifestCard))));
  if (!operations.length) main.append(el('p', {}, 'No manifest has been shared with us for clearance.'));
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);

function requestTable(requests) {
  const rows = requests.map((r) => {
    const cell = el('td', {});
    if (r.status === 'Pending') {
      const answer = (accepted) => async () => {
        try {
          await api.post(`/readmission-requests/${encodeURIComponent(r.id)}/reply`, { accepted, reason: accepted ? null : 'Identity not confirmed' });
          cell.replaceChildren(accepted ? 'Accepted' : 'Refused');
          toast('Reply sent.');
        } catch (e) {
          if (!(e instanceof Problem)) throw e;
          cell.replaceChildren(el('span', { class: 'problem' }, explain(e)));
        }
      };
      cell.append(el('button', { type: 'button', onclick: answer(true) }, 'Accept'), ' ',
        el('button', { type: 'button', class: 'secondary', onclick: answer(false) }, 'Refuse'));
    } else {
      cell.append(r.status);
    }
    return el('tr', { 'data-request': r.id }, el('td', {}, r.id), el('td', {}, r.owner), el('td', {}, when(r.replyDueBy)), cell);
  });
  return table(['Request', 'From', 'Reply due by', 'Answer'], rows, 'Readmission requests addressed to us');
}

async function manifestCard(op) {
  const manifest = await api.get(`/operations/${encodeURIComponent(op.id)}/manifest`);
  const entries = manifest.entries || [];
  const result = el('p', { 'aria-live': 'polite' });
  const clear = async (cleared) => {
    try {
      await api.post(`/operations/${encodeURIComponent(op.id)}/clearance`, { cleared, rejectedReturnees: [], reason: cleared ? null : 'Manifest rejected' });
      result.textContent = cleared ? 'Manifest cleared.' : 'Manifest rejected.';
      result.className = 'ok';
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      result.textContent = explain(e);
      result.className = 'problem';
    }
  };
  return el('section', { class: 'card', 'data-manifest': op.id },
    el('h4', {}, `${op.id} — ${op.status}, ${entries.length} returnees`),
    table(['Returnee', 'State', 'Nationality', 'Vulnerabilities'], entries.map((e) => el('tr', {},
      el('td', {}, e.returneeId), el('td', {}, e.country), el('td', {}, e.nationality || '—'),
      el('td', {}, (e.vulnerabilities || []).join(', ') || '—'))), `Returnees on ${op.id}`),
    el('p', {}, el('button', { type: 'button', onclick: () => clear(true) }, 'Clear manifest'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => clear(false) }, 'Reject')),
    result);
}
