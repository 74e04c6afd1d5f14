import { download } from './api.js';
import { el } from './dom.js';

// Advance passenger information (docs/api.md, "Exchange formats"): the organiser downloads the PAXLST message of one leg of a
// confirmed operation for its carrier, naming the leg's flight. The gateway refuses anything else with a problem.
export function paxlstDownload(op) {
  const result = el('span', { 'aria-live': 'polite' });
  const flight = el('input', { id: `${op.id}-flight`, size: 8, maxlength: 8, pattern: '[A-Z0-9]{2}[0-9]{1,4}[A-Z]?', placeholder: 'OS1234', required: true });
  const leg = el('select', { id: `${op.id}-leg` }, op.legs.map((l, i) => el('option', { value: i }, `${l.from}→${l.to}`)));
  const save = async () => {
    if (!flight.reportValidity()) return;
    try {
      await download(`/operations/${encodeURIComponent(op.id)}/manifest/paxlst?leg=${leg.value}&flight=${encodeURIComponent(flight.value)}`,
        'application/edifact, application/problem+json', `paxlst-${op.id}-leg${leg.value}.edi`);
      result.replaceChildren();
    } catch (e) {
      result.replaceChildren(el('span', { class: 'problem' }, `The passenger list could not be made: ${e.message}`));
    }
  };
  return el('span', {},
    el('label', { for: leg.id }, 'Leg '), leg, ' ', el('label', { for: flight.id }, 'flight '), flight, ' ',
    el('button', { type: 'button', onclick: save, 'aria-label': `Download PAXLST of ${op.id}` }, 'Download PAXLST'), ' ', result);
}
