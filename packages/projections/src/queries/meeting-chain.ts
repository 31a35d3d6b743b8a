/**
 * Reschedule chains: the appointments of one lead that are one meeting. Calendly and Cal.com link an
 * old booking to its new one (`rescheduledFrom` / `rescheduledTo`); GHL keeps one id and moves its
 * times (an `AppointmentRescheduled` without a successor). Pure: computed from a lead's appointments
 * and their history at read time, so the live and the rebuilt read model answer the same.
 */

export interface ChainAppointment {
  readonly provider: string;
  readonly providerAppointmentId: string;
  readonly rescheduledFrom: string | null;
  readonly rescheduledTo: string | null;
  readonly firstObservedAt: string;
  /** The appointment's history, oldest observation first. */
  readonly history: readonly {
    readonly eventType: string;
    readonly providerUpdatedAt: string | null;
    readonly observedAt: string;
    readonly startAt: string;
  }[];
}

export interface MeetingChain {
  /** The `providerAppointmentId` of the chain's first appointment (for GHL: the appointment's own id). */
  readonly meetingChainId: string;
  /** How many times the meeting was set: 1 + every reschedule in the chain (a new booking or a move). */
  readonly chainLength: number;
  /** Some reschedule in the chain was made (provider's update time) after the start it moved. */
  readonly rescheduledAfterStart: boolean;
}

const keyOf = (provider: string, id: string) => `${provider}\u0000${id}`;

/** The chain of each appointment, keyed as `provider\0providerAppointmentId`. */
export function meetingChains(appointments: readonly ChainAppointment[]): Map<string, MeetingChain> {
  const byKey = new Map(appointments.map((a) => [keyOf(a.provider, a.providerAppointmentId), a]));
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root)) root = parent.get(root) as string;
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(rb, ra);
  };
  const hasPredecessor = new Set<string>();
  const link = (from: string, to: string) => {
    if (from === to || !byKey.has(from) || !byKey.has(to)) return;
    union(from, to);
    hasPredecessor.add(to);
  };
  for (const a of appointments) {
    const k = keyOf(a.provider, a.providerAppointmentId);
    if (a.rescheduledFrom !== null) link(keyOf(a.provider, a.rescheduledFrom), k);
    if (a.rescheduledTo !== null) link(k, keyOf(a.provider, a.rescheduledTo));
  }
  const members = new Map<string, ChainAppointment[]>();
  for (const [k, a] of byKey) members.set(find(k), [...(members.get(find(k)) ?? []), a]);
  const result = new Map<string, MeetingChain>();
  for (const group of members.values()) {
    const first = [...group].sort(
      (x, y) => rank(x, hasPredecessor) - rank(y, hasPredecessor) || compareFirst(x, y),
    )[0] as ChainAppointment;
    let reschedules = 0;
    let after = false;
    for (const a of group) {
      const moves = a.history.filter((h) => h.eventType === 'AppointmentRescheduled');
      // A replaced booking's reschedule is its new booking, counted once: as a member when it is known.
      const successorKnown = a.rescheduledTo !== null && byKey.has(keyOf(a.provider, a.rescheduledTo));
      reschedules += Math.max(0, moves.length - (successorKnown ? 1 : 0));
      a.history.forEach((h, i) => {
        if (h.eventType !== 'AppointmentRescheduled') return;
        const movedStart = (a.history[i - 1] ?? h).startAt;
        if (Date.parse(h.providerUpdatedAt ?? h.observedAt) > Date.parse(movedStart)) after = true;
      });
    }
    const chain = {
      meetingChainId: first.providerAppointmentId,
      chainLength: group.length + reschedules,
      rescheduledAfterStart: after,
    };
    for (const a of group) result.set(keyOf(a.provider, a.providerAppointmentId), chain);
  }
  return result;
}

function rank(a: ChainAppointment, hasPredecessor: ReadonlySet<string>): number {
  return hasPredecessor.has(keyOf(a.provider, a.providerAppointmentId)) ? 1 : 0;
}

function compareFirst(x: ChainAppointment, y: ChainAppointment): number {
  return (
    x.firstObservedAt.localeCompare(y.firstObservedAt) || x.providerAppointmentId.localeCompare(y.providerAppointmentId)
  );
}

/** The chain of one appointment out of `meetingChains`' answer. */
export function chainOf(chains: ReadonlyMap<string, MeetingChain>, provider: string, id: string): MeetingChain {
  return chains.get(keyOf(provider, id)) ?? { meetingChainId: id, chainLength: 1, rescheduledAfterStart: false };
}
