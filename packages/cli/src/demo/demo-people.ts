/**
 * The demo's made-up people: a name and an `@demo.example` address each, replayable by number.
 * They exist only in the CRM feed and the provider simulators; recon keeps hashes of the emails and
 * never the names, and its logs carry neither (the demo test checks the captured log lines).
 */
export interface DemoPerson {
  readonly email: string;
  readonly name: string;
  /** The person's GHL contact (null: not in GHL). */
  readonly ghlContactId: string | null;
}

const FIRST = ['Avery', 'Jordan', 'Morgan', 'Riley', 'Casey', 'Quinn', 'Harper', 'Rowan', 'Emerson', 'Sawyer', 'Tatum'];
const LAST = ['Lindqvist', 'Okafor', 'Brennan', 'Castellano', 'Nakamura', 'Whitfield', 'Haddad', 'Oyelaran', 'Marsh'];

/** A name for person `n` (first and last names from two coprime lists: 99 pairs before one repeats). */
export function demoName(n: number): string {
  return `${FIRST[n % FIRST.length] ?? 'Avery'} ${LAST[n % LAST.length] ?? 'Marsh'}`;
}

/** The GHL contact id of person `n` (20 characters, as GHL's). */
export function demoGhlContactId(n: number, prefix = 'DemoCon'): string {
  return `${prefix}${String(n).padStart(20 - prefix.length, '0')}`;
}
