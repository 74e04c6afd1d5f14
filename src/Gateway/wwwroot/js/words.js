// Words for the codes the API speaks, so that pages never show `BookingClosed` or "1 seats".
const statuses = {
  Draft: 'Draft', Announced: 'Open for booking', BookingClosed: 'Booking closed', Confirmed: 'Confirmed',
  Departed: 'Departed', Completed: 'Completed', Cancelled: 'Cancelled',
  Waitlisted: 'Waitlisted', Suspended: 'Suspended', Available: 'Available', Ineligible: 'Not eligible', Booked: 'Booked',
  Erased: 'Erased', Pending: 'Waiting for a reply', Accepted: 'Accepted', Refused: 'Refused', Lapsed: 'Lapsed (no reply in time)',
  // Reintegration referrals (rule 18) and their follow-ups.
  Referred: 'Referred, waiting for the provider', Declined: 'Declined by the provider', Received: 'Received on arrival',
  Planned: 'Reintegration plan agreed', AssistanceDelivered: 'Assistance delivered', Stopped: 'Stopped: consent withdrawn',
  Scheduled: 'Scheduled', Due: 'Due now', Overdue: 'Overdue', Reached: 'Reached',
};
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
