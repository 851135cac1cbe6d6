// Who acts, as the audit log records it: shared by the request pipeline (route.ts,
// pipeline.ts), the handlers and audit.ts, so that none of them imports another for it.

export interface Actor {
  type: 'staff' | 'system' | 'client';
  /** The staff user's id (a client's: the participant's, from its link); null for the system (and for anonymous calls such as a failed sign-in). */
  id: string | null;
  /** The caller's address (behind TRUST_PROXY: the client's). */
  ip?: string | null;
}
