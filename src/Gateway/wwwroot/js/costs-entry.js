import { api, Problem } from './api.js';
import { explainEach } from './rules.js';
import { el, table } from './dom.js';
import { costCategoryCodes, costCategoryWord, euros } from './words.js';

// The organiser's entry of rule 19's record: cost lines (a charter line names its leg) and co-financing, each corrected or
// removed with the record's version (If-Match), so that two clerks editing at once do not overwrite each other unseen.
export async function costEntry(op, redraw) {
  const path = `/operations/${encodeURIComponent(op.id)}`;
  const record = await api.get(`${path}/costs`);
  const etag = `"${record.version}"`;
  const problem = el('div', { 'aria-live': 'polite' });
  const run = async (change) => {
    try {
      await change();
      await redraw();
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      const stale = e.status === 412 ? ['Someone changed these costs since you read them: reload the page and try again.'] : explainEach(e);
      problem.replaceChildren(el('ul', { class: 'problem' }, stale.map((t) => el('li', {}, t))));
    }
  };
  const section = el('section', { class: 'card no-print', id: 'cost-entry', 'aria-labelledby': 'entry-heading' },
    el('h3', { id: 'entry-heading' }, 'Enter costs (organiser)'), problem);
  if (record.final) {
    section.append(el('p', {}, 'The operation has ended: the statement is final and its costs no longer change.'));
    return section;
  }
  const costForm = costLineForm(null, (body) => run(() => api.post(`${path}/costs`, body)));
  const fundForm = coFinancingForm(null, (body) => run(() => api.post(`${path}/co-financing`, body)));
  const editRow = (cells, line, form, kind) => el('tr', { 'data-line': line.id }, cells, el('td', {},
    el('button', { type: 'button', class: 'secondary', 'aria-label': `Correct ${line.id}`, onclick: () => {
      section.querySelector(`[data-correcting]`)?.remove();
      section.append(form);
      form.querySelector('input, select').focus();
    } }, 'Correct'), ' ',
    el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${line.id}`,
      onclick: () => run(() => api.del(`${path}/${kind}/${encodeURIComponent(line.id)}`, etag)) }, 'Remove')));
  const costRows = record.costs.map((l) => editRow([el('td', {}, costCategoryWord(l.category)), el('td', {}, l.description), el('td', { class: 'amount' }, euros(l.amount))],
    l, costLineForm(l, (body) => run(() => api.put(`${path}/costs/${encodeURIComponent(l.id)}`, body, etag))), 'costs'));
  const fundRows = record.coFinancing.map((l) => editRow([el('td', {}, l.source), el('td', {}, l.description || '—'), el('td', { class: 'amount' }, euros(l.amount))],
    l, coFinancingForm(l, (body) => run(() => api.put(`${path}/co-financing/${encodeURIComponent(l.id)}`, body, etag))), 'co-financing'));
  section.append(
    table(['Category', 'Description', 'Amount', 'Actions'], costRows, 'Cost lines to correct or remove'),
    table(['Source', 'Description', 'Amount', 'Actions'], fundRows, 'Co-financing to correct or remove'),
    el('h4', {}, 'Add a cost line'), costForm, el('h4', {}, 'Add co-financing'), fundForm);
  return section;
}

let forms = 0;

// Euros typed with a dot and at most two decimals; the number goes to the API as typed (exact decimals on the server).
function amountField(id, value) {
  return [el('label', { for: id }, 'Amount in euros'),
    el('input', { id, name: 'amount', required: true, inputmode: 'decimal', pattern: '\\d{1,9}(\\.\\d{1,2})?', value: value ?? '',
      title: 'Euros with a dot and at most two decimals, e.g. 1250.50', autocomplete: 'off' })];
}

function costLineForm(line, send) {
  const n = ++forms;
  const category = el('select', { id: `cost-category-${n}`, name: 'category' },
    costCategoryCodes.map((c) => el('option', { value: c, selected: line?.category === c }, costCategoryWord(c))));
  const from = el('input', { id: `cost-from-${n}`, name: 'from', maxlength: 3, size: 4, pattern: '[A-Z]{3}', value: line?.from ?? '', autocomplete: 'off' });
  const to = el('input', { id: `cost-to-${n}`, name: 'to', maxlength: 3, size: 4, pattern: '[A-Z]{3}', value: line?.to ?? '', autocomplete: 'off' });
  const leg = el('div', { class: 'choices' }, el('div', {}, el('label', { for: from.id }, 'Leg from (IATA)'), from), el('div', {}, el('label', { for: to.id }, 'to'), to));
  const showLeg = () => { leg.hidden = category.value !== 'Charter'; from.required = to.required = !leg.hidden; };
  category.addEventListener('change', showLeg);
  const form = el('form', { class: 'card', 'data-cost-form': line ? 'correct' : 'add', 'data-correcting': line ? line.id : null, onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const charter = data.get('category') === 'Charter';
    send({ category: data.get('category'), amount: Number(data.get('amount')), description: String(data.get('description')).trim(),
      from: charter ? data.get('from') : null, to: charter ? data.get('to') : null });
  } },
  el('div', { class: 'grid' }, el('div', {}, el('label', { for: category.id }, 'Category'), category), el('div', {}, amountField(`cost-amount-${n}`, line?.amount))),
  leg,
  el('label', { for: `cost-description-${n}` }, 'Description'),
  el('input', { id: `cost-description-${n}`, name: 'description', class: 'wide', required: true, maxlength: 500, value: line?.description ?? '' }),
  el('p', {}, el('button', { type: 'submit' }, line ? `Save the correction of ${line.id}` : 'Add the cost line')));
  showLeg();
  return form;
}

function coFinancingForm(line, send) {
  const n = ++forms;
  const form = el('form', { class: 'card', 'data-co-financing-form': line ? 'correct' : 'add', 'data-correcting': line ? line.id : null, onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const description = String(data.get('description')).trim();
    send({ source: String(data.get('source')).trim(), amount: Number(data.get('amount')), description: description || null });
  } },
  el('div', { class: 'grid' },
    el('div', {}, el('label', { for: `fund-source-${n}` }, 'Source'),
      el('input', { id: `fund-source-${n}`, name: 'source', required: true, maxlength: 100, value: line?.source ?? 'Frontex' })),
    el('div', {}, amountField(`fund-amount-${n}`, line?.amount))),
  el('label', { for: `fund-description-${n}` }, 'Description (optional)'),
  el('input', { id: `fund-description-${n}`, name: 'description', class: 'wide', maxlength: 500, value: line?.description ?? '' }),
  el('p', {}, el('button', { type: 'submit' }, line ? `Save the correction of ${line.id}` : 'Add the co-financing')));
  return form;
}
