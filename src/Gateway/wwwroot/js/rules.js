// Rule codes of the contract, explained in plain words for the people who meet them.
const words = {
  'capacity': 'There are not enough free seats on the aircraft for this booking.',
  'booking-closed': 'Booking is closed for this operation (past the deadline, or no longer announced).',
  'enforceable-decision': 'A returnee can be booked only with an enforceable return decision.',
  'suspensive-appeal': 'An appeal with suspensive effect is pending: removal must be postponed.',
  'non-refoulement': 'Non-refoulement has not been cleared for this person.',
  'unaccompanied-minor-reception': 'An unaccompanied minor needs a recorded reception arrangement in the destination.',
  'family-unity': 'Members of one family travel on the same operation or not at all: book the whole family.',
  'fit-to-travel': 'A returnee with a medical flag needs a recent fit-to-travel record.',
  'travel-document': 'A valid travel document is missing or expires before departure.',
  'escort-ratio': 'Too few escorts for the forced returnees in this booking.',
  'monitor-required': 'A forced-return operation needs a forced-return monitor.',
  'medical-staff': 'A charter needs at least one medical staff member.',
  'manifest-clearance': 'The destination has not cleared the manifest yet.',
  'readmission': 'The readmission request was not accepted.',
  'invalid-transition': 'The operation cannot move to that status from where it is now.',
  'idempotency-key-reuse': 'This request key was already used for a different request.',
  'already-booked': 'A returnee already holds a seat in another booking.',
  'validation': 'Some values are not valid.',
  'one-monitor-report': 'This operation already has its monitor report: rule 7 asks for one report per operation.',
  'voluntary-only': 'A voluntary-return charter carries only voluntary returnees, and no escorts.',
  'costs-final': 'The operation has ended: its cost statement is final and its costs can no longer change.',
  'co-financing-beyond-costs': 'Co-financing cannot exceed the operation\'s costs.',
  'identification': 'The destination\'s terms refuse this: no agreement or arrangement, a document kind it does not accept, or a validity shorter than it requires.',
  'reintegration-consent': 'A referral needs the returnee\'s recorded consent, and it must not have been withdrawn.',
  'reintegration-provider': 'This provider does not work in the returnee\'s country of return (nationality, or a country that accepted the readmission).',
  'erased': 'This request was answered before for a case that has since been erased: it is not carried out again.',
  'legal-hold': 'A legal hold (an interim measure of a court) stops this person\'s removal: the seat is suspended until the hold is lifted. No override passes it.',
  'destination-of-return': 'This operation does not fly to the returnee\'s country of return: book a returnee only on an operation to their nationality, or to a country that accepted their readmission.',
};

export function explain(problem) {
  const plain = problem.rule && words[problem.rule];
  return plain ? `${plain} (${problem.message})` : problem.message;
}

// Every broken rule of a refusal, one line each: the plain words, then what the server measured.
export function explainEach(problem) {
  const violations = problem.body?.violations;
  if (!violations?.length) return [explain(problem)];
  return violations.map((v) => (words[v.rule] ? `${words[v.rule]} (${v.detail})` : v.detail));
}

export function explainCode(code) {
  return words[code] || code;
}
