// The page's own events: `changed` (a write landed: refresh counts and the view), `unauthorized`.
import { announce, errorCode } from './dom.js';

export const bus = new EventTarget();
export const emit = (type, detail) => bus.dispatchEvent(new CustomEvent(type, { detail }));

/** A failed read: a refused key signs out, anything else is said in the live region. */
export function failed(r, what) {
  if (r.status === 401) emit('unauthorized');
  else announce(`Could not load ${what}: ${errorCode(r)}.`);
  return false;
}
