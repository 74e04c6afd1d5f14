import { el } from './dom.js';

// The reasons a destination gives most often, as a coded list, with free text beside them for the particulars.
export const readmissionReasons = [
  'Identity not confirmed',
  'Nationality not confirmed',
  'Not covered by the agreement (no national, third-country or transit clause applies)',
  'Evidence insufficient or inconsistent',
  'Already readmitted or a duplicate request',
  'Other',
];
export const manifestReasons = [
  'Nationality not confirmed',
  'Identity not confirmed',
  'No readmission accepted for this person',
  'Travel document not accepted',
  'Reception not arranged',
  'Other',
];

// A reason chooser: a list and a text box; `read()` gives "Chosen reason: particulars" or null if nothing is chosen.
export function reasonField(idPrefix, reasons, legend) {
  const select = el('select', { id: `${idPrefix}-reason` }, el('option', { value: '' }, 'Choose a reason…'), reasons.map((r) => el('option', { value: r }, r)));
  const text = el('input', { id: `${idPrefix}-details`, maxlength: 150, class: 'wide', autocomplete: 'off' });
  const node = el('fieldset', { class: 'reason' }, el('legend', {}, legend),
    el('label', { for: select.id }, 'Reason'), select,
    el('label', { for: text.id }, 'Particulars (optional)'), text);
  const read = () => {
    if (!select.value) return null;
    const details = text.value.trim();
    return details ? `${select.value}: ${details}` : select.value;
  };
  return { node, read };
}
