import { api, Problem } from './api.js';
import { explainEach } from './rules.js';
import { el } from './dom.js';
import { count } from './words.js';

// Many cases at once from a CSV file (POST /returnees/import). The server checks every line before it stores any case:
// a file with one broken line imports nothing, and every broken line is listed here to be fixed in the file.
const COLUMNS = 'reference,nationality,birthYear,sex,familyGroup,unaccompaniedMinor,receptionArrangement,decisionEnforceable,'
  + 'appealPending,appealSuspensive,nonRefoulementCleared,travelDocumentValidUntil,medicalFlag,fitToTravelOn,vulnerabilities,voluntary';

export function importForm(onImported) {
  const file = el('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv', required: true });
  const result = el('div', { id: 'import-result', 'aria-live': 'assertive' });
  const form = el('form', { class: 'card', id: 'import-form', onsubmit: submit },
    el('h4', {}, 'Import cases from a CSV file'),
    el('p', { id: 'import-help' }, 'The first line names the columns: reference, nationality, birthYear and sex are required; the others are ',
      'optional. Yes/no columns take yes or no, dates are written 2027-03-31, vulnerabilities are separated by ";". ',
      'Nothing is imported while any line has a problem.'),
    el('p', { class: 'muted' }, 'All columns: ', el('code', {}, COLUMNS)),
    el('label', { for: 'import-file' }, 'CSV file'), file,
    el('p', {}, el('button', { type: 'submit' }, 'Import')), result);

  async function submit(event) {
    event.preventDefault();
    result.replaceChildren();
    const chosen = file.files?.[0];
    if (!chosen) return;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const imported = await api.post('/returnees/import', { csv: await chosen.text() });
      result.append(el('p', { class: 'ok' }, `${count(imported.imported, 'case')} imported.`));
      form.reset();
      onImported(imported);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      result.append(el('div', { class: 'problem', id: 'import-refused' }, el('strong', {}, 'Nothing was imported. Fix these lines and import the file again:'),
        el('ul', {}, explainEach(e).map((line) => el('li', {}, line.replace(/^Some values are not valid\. \((.*)\)$/, '$1'))))));
    } finally {
      button.disabled = false;
    }
  }
  return form;
}
