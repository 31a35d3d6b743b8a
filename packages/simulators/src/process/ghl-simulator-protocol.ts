/** The IPC messages between a parent and the GHL simulator process (ghl-simulator-process.ts). */
export interface GhlProcessLocation {
  readonly locationId: string;
  readonly accessToken: string;
  readonly timeZone?: string;
}

export interface GhlProcessAppointment {
  readonly locationId: string;
  readonly contactId: string;
  /** Epoch ms. */
  readonly startTime: number;
}

export type GhlProcessCommand =
  | { readonly op: 'addLocations'; readonly locations: readonly GhlProcessLocation[] }
  | { readonly op: 'addAppointments'; readonly appointments: readonly GhlProcessAppointment[] }
  | { readonly op: 'resetStats' }
  | { readonly op: 'stats'; readonly accounts: readonly string[] };

export interface GhlProcessStats {
  /** Requests answered 200. */
  readonly accepted: number;
  /** 429s the simulator's own limit produced. */
  readonly rateLimitRejections: number;
  readonly accounts: readonly {
    readonly account: string;
    readonly accepted: number;
    readonly maxAcceptedInWindow: number;
  }[];
}

export type GhlProcessReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
