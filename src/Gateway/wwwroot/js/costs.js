import { api, authHeaders, session, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { costCategoryWord, count, euros, statusWord, typeWord } from './words.js';
import { costEntry } from './costs-entry.js';

// Rule 19's printable statement (costs.html?operation=…): the operation's costs, co-financing and the shares by seats — the
// caller's state's for a coordinator, every state's for the secretariat. The organiser also enters and corrects lines here.
const holder = document.getElementById('costs');
const operationId = new URLSearchParams(location.search).get('operation') || '';
const claims = await session.current();

const homes = { coordinator: '/#/coordinator', secretariat: '/#/board', fro: '/#/board', admin: '/#/board', partner: '/#/partner', monitor: '/#/monitor' };
document.getElementById('back').href = homes[claims?.role] || '/';
document.getElementById('who').textContent = claims ? `${claims.sub} (${claims.role}${claims.country ? ', ' + claims.country : ''})` : '';

async function render() {
  if (!claims) {
    holder.replaceChildren(el('p', {}, 'Sign in first: ', el('a', { href: session.signInAvailable ? session.signInUrl() : '/' }, 'sign in'), '.'));
    return;
  }
  const path = `/operations/${encodeURIComponent(operationId)}`;
  const op = await api.get(path);
  document.getElementById('title').textContent = `Cost statement of ${op.id}`;
  document.title = `Cost statement ${op.id} — ReturnOps`;
  const organiser = claims.role === 'coordinator' && claims.country === op.organiser;
  let statement = null;
  try {
    statement = await api.get(`${path}/costs/statement`);
  } catch (e) {
    if (!(e instanceof Problem) || e.status !== 404) throw e;
  }
  const parts = [el('p', { class: 'print-only' }, `Printed ${when(new Date().toISOString())} from ReturnOps.`), overview(op, statement)];
  if (statement) parts.push(shares(statement), lines(statement));
  else parts.push(el('p', {}, `${claims.country || 'This state'} has no share in ${op.id}: it held no seat on it.`));
  if (organiser) parts.push(await costEntry(op, render));
  if (statement) parts.push(actions(statement));
  holder.replaceChildren(...parts);
}

function overview(op, s) {
  const basis = s?.seatBasis === 'ConfirmedNow'
    ? 'seats confirmed now (an estimate until booking closes)'
    : 'seats held at departure and seats held after booking closed, even if released later';
  return el('dl', { class: 'figures', id: 'cost-overview' },
    el('dt', {}, 'Operation'), el('dd', {}, `${op.id}: ${typeWord(op.type)} to ${op.destinations.join(', ')}, organised by ${op.organiser}`),
    el('dt', {}, 'Departure'), el('dd', {}, when(op.legs?.[0]?.departure)),
    el('dt', {}, 'Operation status'), el('dd', {}, statusWord(op.status)),
    s ? [
      el('dt', {}, 'Statement'), el('dd', { 'data-field': 'final' }, s.final ? 'Final: the operation has ended' : 'Provisional: costs may still change'),
      el('dt', {}, 'Costs'), el('dd', { 'data-field': 'total-costs' }, euros(s.totalCosts)),
      el('dt', {}, 'Co-financing'), el('dd', { 'data-field': 'co-financing' }, euros(s.totalCoFinancing)),
      el('dt', {}, 'Net cost shared'), el('dd', { 'data-field': 'net-cost' }, euros(s.netCost)),
      el('dt', {}, 'Seats counted'), el('dd', {}, `${count(s.totalSeats, 'seat')}: ${basis}`),
    ] : null);
}

function shares(s) {
  const rows = s.shares.map((share) => el('tr', { 'data-share': share.country },
    el('td', {}, share.country), el('td', { class: 'amount' }, String(share.seats)), el('td', { class: 'amount' }, euros(share.share))));
  return el('section', { class: 'card', 'aria-labelledby': 'shares-heading' },
    el('h3', { id: 'shares-heading' }, s.shares.length === 1 ? `Share of ${s.shares[0].country}` : 'Shares per state'),
    table(['State', 'Seats', 'Share'], rows, 'Each state\'s share of the net cost by its seats'),
    el('p', { class: 'muted' }, 'Shares add up to the net cost to the cent: each is rounded down to the cent and the cents left over go to the largest remainders (ties by country code).'));
}

function lines(s) {
  const costRows = s.costs.map((l) => el('tr', { 'data-line': l.id },
    el('td', {}, costCategoryWord(l.category)), el('td', {}, l.from ? `${l.from}→${l.to}` : '—'), el('td', {}, l.description),
    el('td', { class: 'amount' }, euros(l.amount))));
  const fundRows = s.coFinancing.map((l) => el('tr', { 'data-line': l.id },
    el('td', {}, l.source), el('td', {}, l.description || '—'), el('td', { class: 'amount' }, euros(l.amount))));
  return el('section', { class: 'card', 'aria-labelledby': 'lines-heading' },
    el('h3', { id: 'lines-heading' }, 'Costs and co-financing'),
    table(['Category', 'Leg', 'Description', 'Amount'], costRows, 'Cost lines of the operation'),
    table(['Source', 'Description', 'Amount'], fundRows, 'Co-financing of the operation'));
}

function actions(s) {
  const result = el('span', { 'aria-live': 'polite' });
  const csv = async () => {
    // A pasted token travels in a header, so the file is fetched here and handed to the browser to save.
    const response = await fetch(`/api/v1/operations/${encodeURIComponent(s.operationId)}/costs/statement`,
      { headers: { ...authHeaders(), Accept: 'text/csv' } });
    if (!response.ok) {
      result.replaceChildren(el('span', { class: 'problem' }, `The CSV file could not be made (HTTP ${response.status}).`));
      return;
    }
    const link = el('a', { href: URL.createObjectURL(await response.blob()), download: `cost-statement-${s.operationId}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
  };
  return el('p', { class: 'no-print' },
    el('button', { type: 'button', onclick: () => window.print() }, 'Print the statement'), ' ',
    el('button', { type: 'button', class: 'secondary', onclick: csv }, 'Download as CSV'), ' ', result);
}

render().catch((e) => {
  holder.replaceChildren(el('p', { class: 'problem' }, e instanceof Problem ? explain(e) : `Could not load the statement: ${e.message}`));
});
