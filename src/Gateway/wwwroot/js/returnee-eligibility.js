import { explainCode } from './rules.js';

// What the server will judge (Eligibility.cs, rules 1-3, 5 and 6) before any operation is chosen, so that a clerk sees the
// answer while typing a case. The operation's departure day decides the rest at booking: a document valid on that day,
// a fit-to-travel record within the window before it, and the destination's readmission answer.
export function eligibilityOf(c, today = new Date().toISOString().slice(0, 10)) {
  const broken = [];
  if (!c.decisionEnforceable) broken.push('enforceable-decision');
  if (c.appealPending && c.appealSuspensive) broken.push('suspensive-appeal');
  if (!c.nonRefoulementCleared) broken.push('non-refoulement');
  if (c.unaccompaniedMinor && !c.receptionArrangement) broken.push('unaccompanied-minor-reception');
  if (c.medicalFlag && !c.fitToTravelOn) broken.push('fit-to-travel');
  if (!c.travelDocumentValidUntil || c.travelDocumentValidUntil < today) broken.push('travel-document');
  return broken.map((rule) => ({ rule, text: explainCode(rule) }));
}
