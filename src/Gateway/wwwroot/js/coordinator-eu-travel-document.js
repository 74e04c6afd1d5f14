import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el } from './dom.js';

// Regulation (EU) 2016/1953 on the coordinator's page: once a destination that accepts the European travel document for
// return has confirmed a case's identity, the state fills the document's data and machine-readable zone here and prints the
// page as the record for its own printing office. The names are typed here and sent once; the platform keeps none of them.
let accepting = null;
const acceptingDestinations = () => {
  accepting ??= api.get('/agreements').then((rows) =>
    new Set(rows.filter((a) => a.identification?.acceptsEuTravelDocument).map((a) => a.destination)));
  return accepting;
};

// The part of one identification request's row: nothing unless identity is confirmed and the destination accepts the document.
export function euTravelDocumentCell(request, reference) {
  const cell = el('td', {}, '—');
  if (!['AwaitingDocument', 'DocumentIssued'].includes(request.status)) return cell;
  acceptingDestinations().then((destinations) => {
    if (destinations.has(request.destination)) cell.replaceChildren(form(request, reference));
  });
  return cell;
}

function form(request, reference) {
  const id = (name) => `etd-${request.id}-${name}`;
  const field = (name, label, attrs) => [el('label', { for: id(name) }, label), el('input', { id: id(name), name, ...attrs })];
  const result = el('div', { 'aria-live': 'polite' });
  const node = el('form', { 'aria-label': `European travel document for return for ${reference}` },
    ...field('documentNumber', 'Document number (up to 9 letters or digits)', { required: true, maxlength: 9, pattern: '[A-Z0-9]{1,9}' }),
    ...field('surname', 'Surname', { required: true, maxlength: 39 }),
    ...field('givenNames', 'Given names', { maxlength: 39 }),
    ...field('dateOfBirth', 'Date of birth (if known)', { type: 'date' }),
    ...field('validUntil', 'Valid until', { type: 'date', required: true }),
    el('button', { type: 'submit' }, 'Fill the document'));
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(node));
    const body = { identificationRequest: request.id, documentNumber: data.documentNumber, surname: data.surname,
      givenNames: data.givenNames || '', validUntil: data.validUntil };
    if (data.dateOfBirth) body.dateOfBirth = data.dateOfBirth;
    try {
      result.replaceChildren(printable(await api.post(`/returnees/${encodeURIComponent(request.returneeId)}/eu-travel-document`, body)));
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      result.replaceChildren(el('p', { class: 'problem' }, explain(e)));
    }
  });
  return el('details', {}, el('summary', {}, 'European travel document for return'), node, result);
}

function printable(d) {
  const row = (label, value) => el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, value ?? 'To be completed by the issuing state'));
  const section = el('section', { class: 'card eu-travel-document' },
    el('h4', {}, `European travel document for return — ${d.regulation}`),
    el('p', { class: 'alert' }, d.printing),
    el('table', {}, el('tbody', {},
      row('Document number', d.documentNumber), row('Surname', d.surname), row('Given names', d.givenNames),
      row('Date of birth', d.dateOfBirth), row('Sex', d.sex), row('Nationality', d.nationality),
      row('Valid for a single journey to', d.countryOfReturn),
      row('Journey', d.journeyOperationId ? `${d.journeyFrom} → ${d.journeyTo}, operation ${d.journeyOperationId}, ${d.journeyDeparture}` : null),
      row('Issuing state and authority', `${d.issuingState}, ${d.issuingAuthority || ''}`), row('Date of issue', d.dateOfIssue),
      row('Valid until', d.validUntil),
      row('Added by the issuing state', d.completedByIssuingState.join(', ')))),
    // A pre has no role that takes a name: the caption is a paragraph of its own.
    el('p', {}, 'Machine-readable zone (ICAO Doc 9303):'),
    el('pre', { class: 'mrz' }, d.machineReadableZone.join('\n')));
  const print = el('button', { type: 'button', class: 'secondary' }, 'Print this page of data');
  // Only this section goes to paper: the rest of the page is hidden while printing (styles.css, .print-one).
  print.addEventListener('click', () => {
    section.classList.add('print-target');
    document.body.classList.add('print-one');
    window.addEventListener('afterprint', () => {
      document.body.classList.remove('print-one');
      section.classList.remove('print-target');
    }, { once: true });
    window.print();
  });
  section.append(print);
  return section;
}
