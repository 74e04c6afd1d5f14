import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { count, statusWord, typeWord } from './words.js';
import { calendarFeedSection } from './calendar-feed.js';

// A forced-return monitor (rule 7): the operations it is assigned to, their manifests (vulnerabilities are
// what a monitor watches for), the one report per operation after departure, and serious incidents or
// complaints, which go straight to the fundamental-rights officer (rule 14).
export async function renderMonitor(main, claims) {
  main.append(await calendarFeedSection());
  const list = items(await api.get('/operations?pageSize=100'));
  const operations = (await Promise.all(list.map((o) => api.get(`/operations/${encodeURIComponent(o.id)}`))))
    .filter((o) => (o.assignedMonitors || []).includes(claims.sub));
  if (!operations.length) {
    main.append(el('p', {}, `No operation has ${claims.sub} assigned as its monitor.`));
    return;
  }
  main.append(...await Promise.all(operations.map(operationCard)));
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);

async function operationCard(op) {
  const manifest = await api.get(`/operations/${encodeURIComponent(op.id)}/manifest`);
  const path = `/operations/${encodeURIComponent(op.id)}`;
  return el('section', { class: 'card', 'data-monitored': op.id, 'aria-labelledby': `${op.id}-heading` },
    el('h3', { id: `${op.id}-heading` }, `${op.id}: ${typeWord(op.type)} to ${op.destinations.join(', ')}, ${statusWord(op.status).toLowerCase()}`),
    el('p', {}, `Departure ${when(op.legs?.[0]?.departure)}; ${count(manifest.entries.length, 'returnee')} on the manifest.`),
    table(['Returnee', 'State', 'Vulnerabilities', 'Medical flag'], manifest.entries.map((e, i) => el('tr', {},
      el('td', {}, `Person ${i + 1}`, e.birthYear ? ` (born ${e.birthYear})` : ''), el('td', {}, e.country), el('td', {}, (e.vulnerabilities || []).join(', ') || '—'),
      el('td', {}, e.medicalFlag ? 'Yes' : 'No'))), `Returnees on ${op.id}`),
    reportPart(op, path), incidentPart(op, path));
}

// Rule 7: one report per operation, after departure; once filed, the page says so instead of offering the form again.
function reportPart(op, path) {
  if (op.monitorReportFiled) return el('p', { class: 'ok', 'data-report-filed': op.id }, 'The monitor report of this operation has been filed.');
  if (!['Departed', 'Completed'].includes(op.status)) return el('p', { class: 'muted' }, 'The monitor report is filed after departure.');
  return form(op, 'report', 'Monitor report', [
    textarea(`${op.id}-summary`, 'Summary of the operation from pre-departure to hand-over', 'summary'),
    checkbox(`${op.id}-issues`, 'Issues found', 'issuesFound')],
  'File report', (body) => api.post(`${path}/monitor-report`, body), () => 'Report filed: it reaches the secretariat, the fundamental-rights officer and every participating state.',
  { once: true });
}

function incidentPart(op, path) {
  return form(op, 'incident', 'Serious incident or complaint', [
    text(`${op.id}-category`, 'Category (for example use of force, medical, complaint)', 'category'),
    textarea(`${op.id}-description`, 'What happened', 'description'),
    checkbox(`${op.id}-force`, 'Force was used', 'useOfForce'),
    checkbox(`${op.id}-complaint`, 'This is a returnee\'s complaint', 'complaint')],
  'Send to the fundamental-rights officer', (body) => api.post(`${path}/incidents`, body), (created) => `Sent as ${created.id}.`);
}

// A filed form is emptied, and its button is off while the request is on its way, so that a second click files nothing
// twice; a form that may be sent only once (`once`) is replaced by its result.
function form(op, kind, legend, fields, submitText, send, done, { once = false } = {}) {
  const result = el('p', { 'aria-live': 'polite' });
  const button = el('button', { type: 'submit' }, submitText);
  const node = el('form', { 'data-form': `${op.id}-${kind}`, onsubmit: submit },
    el('fieldset', {}, el('legend', {}, legend), fields, el('p', {}, button)), result);
  async function submit(event) {
    event.preventDefault();
    if (button.disabled) return;
    const body = {};
    for (const input of node.querySelectorAll('[data-field]')) {
      body[input.dataset.field] = input.type === 'checkbox' ? input.checked : input.value.trim();
    }
    button.disabled = true;
    try {
      const text = done(await send(body));
      toast(text);
      if (once) {
        node.replaceWith(el('p', { class: 'ok', 'data-report-filed': op.id }, text));
        return;
      }
      node.reset();
      result.textContent = text;
      result.className = 'ok';
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      result.textContent = `Not sent. ${explain(e)}`;
      result.className = 'problem';
    } finally {
      button.disabled = false;
    }
  }
  return node;
}

const text = (id, label, field) => el('div', {}, el('label', { for: id }, label), el('input', { id, required: true, maxlength: 200, class: 'wide', 'data-field': field }));
const textarea = (id, label, field) => el('div', {}, el('label', { for: id }, label), el('textarea', { id, required: true, rows: 4, maxlength: 4000, class: 'wide', 'data-field': field }));
const checkbox = (id, label, field) => el('label', { class: 'check', for: id }, el('input', { id, type: 'checkbox', 'data-field': field }), ` ${label}`);
