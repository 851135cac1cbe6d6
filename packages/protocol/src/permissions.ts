// THE permission matrix: who may do what, and over which records. One mechanism reads it —
// the REST router (apps/signalling/src/api/route.ts) for every endpoint and the socket
// dispatcher (apps/signalling/src/socket/request-dispatch.ts) for every room event — so no
// handler checks a role by hand. A route or event missing here refuses to start, and
// apps/signalling/test/access/matrix.test.ts generates its cases from this table.
//
// Reading a row: principal → scope. A principal not named may not do it at all (403, or
// 404 when the record belongs to another institution: ids are never confirmed to outsiders).
//
// Scopes:
//   department   any record of the actor's department (all its institutions)
//   institution  records of the actor's own institution
//   own          records the actor takes part in: their consultations (as specialist or
//                participant), their schedule, requests they are responsible for
//   self         the actor's own account and sessions
//   public       no sign-in at all (sign-in itself, one-time password links)
//   link         a client's link: one consultation — its room (and its link page and,
//                with the join issue, its feedback form); nothing else
//   participant  room events after `join`: only the peer's own transports and producers
//
// Principals: the four staff roles, `client` (a link holder, no account) and `anyone`.

export const staffRoles = ['admin', 'head', 'specialist', 'social_worker'] as const;
export type StaffRoleName = (typeof staffRoles)[number];
export const principals = [...staffRoles, 'client', 'anyone'] as const;
export type Principal = (typeof principals)[number];
export type Scope = 'department' | 'institution' | 'own' | 'self' | 'public' | 'link' | 'participant';
export type Grants = Partial<Record<Principal, Scope>>;

const everyStaff = { admin: 'self', head: 'self', specialist: 'self', social_worker: 'self' } as const satisfies Grants;
/** Anyone who joined a room: what they may do there is limited to their own peer. */
const inRoom = {
  client: 'participant',
  head: 'participant',
  specialist: 'participant',
  social_worker: 'participant',
} as const satisfies Grants;

/**
 * The device check's network test (network-test.ts): allowed before `join` to whoever may
 * join — a client by its link, staff for consultations they take part in — on a probe
 * router of its own, never the room's. Checked against the consultation like `join`.
 */
const probing = { client: 'link', head: 'own', specialist: 'own', social_worker: 'own' } as const satisfies Grants;

export const permissions = {
  // --- sign-in and one's own account --------------------------------------------------
  'auth.sign_in': { anyone: 'public' },
  'auth.password_link': { anyone: 'public' },
  'auth.set_password': { anyone: 'public' },
  'auth.session': everyStaff,
  'auth.sign_out': everyStaff,
  'auth.sign_out_everywhere': everyStaff,
  'account.sessions': everyStaff,
  'account.end_session': everyStaff,
  'account.change_password': everyStaff,
  'account.totp_setup': everyStaff,
  'account.totp_enable': everyStaff,
  // An admin's second factor is required, so only the other roles may turn theirs off.
  'account.totp_disable': { head: 'self', specialist: 'self', social_worker: 'self' },
  // The bell: one's own in-app notices.
  'notices.list': everyStaff,
  'notices.read': everyStaff,

  // --- institutions --------------------------------------------------------------------
  'institutions.list': { admin: 'department', head: 'institution', specialist: 'institution', social_worker: 'institution' },
  'institutions.create': { admin: 'department' },
  'institutions.get': { admin: 'department', head: 'institution', specialist: 'institution', social_worker: 'institution' },
  'institutions.update': { admin: 'department', head: 'institution' },
  'institutions.calendar': { admin: 'department', head: 'institution', specialist: 'institution', social_worker: 'institution' },
  'institutions.confirm_calendar_year': { admin: 'department', head: 'institution' },

  // --- staff accounts (only admins manage them) -----------------------------------------
  'staff.list': { admin: 'department', head: 'institution', specialist: 'institution', social_worker: 'institution' },
  'staff.list_department': { admin: 'department' },
  'staff.create': { admin: 'department' },
  'staff.get': { admin: 'department', head: 'institution' },
  'staff.update': { admin: 'department' },
  'staff.password_link': { admin: 'department' },
  'staff.end_sessions': { admin: 'department' },

  // --- audit log -------------------------------------------------------------------------
  'audit.list': { admin: 'department' },

  // --- timetable: specialists' month schedules -----------------------------------------
  'schedules.get': { admin: 'department', head: 'institution', specialist: 'own' },
  'schedules.put': { admin: 'department', head: 'institution', specialist: 'own' },
  'schedules.approve': { admin: 'department', head: 'institution' },
  'schedules.change_urgently': { admin: 'department', head: 'institution' },
  'schedules.approve_correction': { admin: 'department', head: 'institution' },
  'schedules.reject_correction': { admin: 'department', head: 'institution' },
  'schedules.suggest': { admin: 'department', head: 'institution', specialist: 'own' },
  'schedules.free_slots': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },

  // --- requests journal (clients' personal data: intake roles only) ---------------------
  'requests.list': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'requests.create': { admin: 'department', head: 'institution', social_worker: 'institution' },
  'requests.update': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },

  // --- clients' registry (personal data, 152-FZ: intake roles; a specialist only the clients
  // of their own requests and consultations, to read) ----------------------------------
  'clients.list': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'clients.create': { admin: 'department', head: 'institution', social_worker: 'institution' },
  'clients.get': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'clients.update': { admin: 'department', head: 'institution', social_worker: 'institution' },

  // --- consultations ---------------------------------------------------------------------
  'consultations.list': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  // The day board: the social worker phones the families whom an e-mail did not reach.
  'day.board': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'consultations.create': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'consultations.get': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'consultations.reschedule': { admin: 'department', head: 'institution', specialist: 'own' },
  // A cancellation at the client's request is recorded by whoever took the call.
  'consultations.cancel': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  // A specialist or social worker proposes a move; the head approves (or moves directly: reschedule).
  'consultations.propose_move': { head: 'institution', specialist: 'own', social_worker: 'institution' },
  'consultations.decide_move': { admin: 'department', head: 'institution' },
  // «Специалист заболел»: the whole day handed over or moved at once.
  'consultations.specialist_absence': { admin: 'department', head: 'institution' },
  // The head's technical-failure list («Сбои»).
  'consultations.failures': { admin: 'department', head: 'institution' },
  // What the room left in the record. The registry (names, times) goes to whoever keeps the
  // journals; the chat and the private notes only to the staff who lead the work.
  'consultations.registry': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'consultations.registry_note': { head: 'institution', specialist: 'own' },
  // Its export (names): like the registry itself, except the department admin (figures only).
  'consultations.registry_export': { head: 'institution', specialist: 'own', social_worker: 'institution' },
  'consultations.chat': { head: 'institution', specialist: 'own' },
  'consultations.notes_list': { head: 'institution', specialist: 'own' },
  'consultations.notes_create': { head: 'institution', specialist: 'own' },
  // The protocol (reason, solution, files given): sensitive — the head of the institution and
  // the consultation's own specialists; not the social workers, not the admin.
  'protocol.get': { head: 'institution', specialist: 'own' },
  'protocol.version': { head: 'institution', specialist: 'own' },
  'protocol.save': { head: 'institution', specialist: 'own' },
  'protocol.finalize': { head: 'institution', specialist: 'own' },
  'protocol.file_upload': { head: 'institution', specialist: 'own' },
  'protocol.file_download': { head: 'institution', specialist: 'own' },
  'protocol.file_delete': { head: 'institution', specialist: 'own' },
  // Whoever books and sends links may take one back.
  'consultations.revoke_link': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  // A client's link is shown (and a new one issued) only to those who hand it over: the head,
  // and — narrowed by the handler, which the matrix cannot express — the staff member who
  // booked the consultation and the social worker responsible for its request. Never an admin,
  // never a colleague who merely may read the consultation. Each showing is audited.
  'consultations.show_link': { head: 'institution', specialist: 'own', social_worker: 'institution' },
  'consultations.rotate_link': { head: 'institution', specialist: 'own', social_worker: 'institution' },
  // Adding clients to a planned webinar (names, e-mails; each is sent a personal link): whoever may book it.
  'consultations.add_participants': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  // Dyads (two registry clients with their motivation): the head, and a specialist as their curator.
  'dyads.list': { admin: 'department', head: 'institution', specialist: 'own' },
  'dyads.create': { admin: 'department', head: 'institution', specialist: 'own' },
  'dyads.get': { admin: 'department', head: 'institution', specialist: 'own' },
  // Planned work: the dyad programme's evaluation (as the dyad); the client's route sheets and
  // the act of services rendered follow the registry (a specialist reads their own clients'; the
  // head and the social workers plan the route).
  'dyads.evaluation': { admin: 'department', head: 'institution', specialist: 'own' },
  'dyads.evaluate': { admin: 'department', head: 'institution', specialist: 'own' },
  'route_sheets.list': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  'route_sheets.create': { admin: 'department', head: 'institution', social_worker: 'institution' },
  'route_sheets.update': { admin: 'department', head: 'institution', social_worker: 'institution' },
  'services.act': { admin: 'department', head: 'institution', specialist: 'own', social_worker: 'institution' },
  // The specialist whose equipment failed (or the head on their behalf).
  'consultations.technical_failure': { admin: 'department', head: 'institution', specialist: 'own' },
  // The telephone and e-mail forms: the specialist who consults (or the head) records the
  // call's outcome and writes the answer. The answer's text is the consultation's record: read
  // by those who lead the work and by the social workers who keep the request journal.
  'consultations.phone_outcome': { head: 'institution', specialist: 'own' },
  'consultations.email_answer': { head: 'institution', specialist: 'own' },
  'consultations.email_answers': { head: 'institution', specialist: 'own', social_worker: 'institution' },

  // --- the consultation journal (names: no department admin, who gets the figures) -------
  'journal.consultations': { head: 'institution', specialist: 'own', social_worker: 'institution' },
  'journal.export': { head: 'institution', specialist: 'own', social_worker: 'institution' },

  // --- monthly reports (aggregates; names only where the journal may be read) ------------
  // The head submits the institution's month. «The resource centre» (a head of an institution
  // flagged resourceCentre) cannot be said here: heads get 'department' and the handlers narrow
  // it (403 for a head of an ordinary institution). Drill-down names: the head of that
  // institution only; the admin and the resource centre see the records without names.
  'reports.month': { admin: 'department', head: 'institution' },
  'reports.submit': { head: 'institution' },
  'reports.accept': { admin: 'department', head: 'department' },
  'reports.return': { admin: 'department', head: 'department' },
  'reports.export': { admin: 'department', head: 'institution' },
  'reports.records': { admin: 'department', head: 'department' },
  'reports.consolidated': { admin: 'department', head: 'department' },
  'reports.consolidated_export': { admin: 'department', head: 'department' },
  'reports.note_draft': { admin: 'department', head: 'department' },
  'reports.note_save': { admin: 'department', head: 'department' },
  'reports.note_send': { admin: 'department', head: 'department' },
  'reports.settings_get': { admin: 'department' },
  'reports.settings_put': { admin: 'department' },
  // The form's added rows: the admin who sets the period; their figures: the institution's head.
  'reports.form_get': { admin: 'department' },
  'reports.form_save': { admin: 'department' },
  'reports.inputs_save': { head: 'institution' },

  // --- room events (socket.io /room) ----------------------------------------------------
  // Staff join the rooms of consultations they take part in — an admin watches room health
  // on the dashboard, never the consultation itself; a head joins only when listed in it.
  'room.join': { client: 'link', head: 'own', specialist: 'own', social_worker: 'own' },
  'room.connectTransport': inRoom,
  'room.restartIce': inRoom,
  'room.ready': inRoom,
  'room.produce': inRoom,
  'room.pauseProducer': inRoom,
  'room.resumeProducer': inRoom,
  'room.closeProducer': inRoom,
  'room.setAudioOnly': inRoom,
  'room.leave': inRoom,
  // What a participant may do beyond its own media depends on its role in the consultation
  // (host, curator, attendee …): room-policy.ts, enforced by the room itself.
  'room.admit': inRoom,
  'room.decline': inRoom,
  'room.raiseHand': inRoom,
  'room.grantFloor': inRoom,
  'room.revokeFloor': inRoom,
  'room.mutePeer': inRoom,
  'room.removePeer': inRoom,
  'room.stepIn': inRoom,
  'room.stepOut': inRoom,
  'room.sendChat': inRoom,
  // «Завершить консультацию»: the specialist, a host or the curator (room-policy.ts `end`).
  'room.endConsultation': inRoom,
  'room.markAnswered': inRoom,
  'room.postMaterial': inRoom,
  'room.clientStats': inRoom,
  'room.networkTestStart': probing,
  'room.networkTestConnect': probing,
  'room.networkTestProduce': probing,
  'room.networkTestStats': probing,
  'room.networkTestFinish': probing,

  // --- room health (the dashboard: figures only, no names of clients) -------------------
  'health.rooms': { admin: 'department', head: 'institution' },

  // --- the link page and the Device (no sign-in: a link is its own credential) -----------
  // What a link is for (with whom and where; nothing of any client); limited per link and per address (budgets.ts).
  'links.describe': { anyone: 'public' },
  // The client's «не смогу прийти» and the calendar file: the link is the credential, limited like describe.
  'links.answer': { anyone: 'public' },
  'links.calendar': { anyone: 'public' },
  // The client's feedback form (анкета) from the link: read and sent, limited like describe.
  'feedback.get': { anyone: 'public' },
  'feedback.save': { anyone: 'public' },
  // The answers of a consultation without names: the head, and the consultation's specialist.
  'feedback.consultation': { head: 'institution', specialist: 'own' },
  // The SFU's RTP capabilities, so a page loads its mediasoup Device before joining.
  'media.capabilities': { anyone: 'public' },
} as const satisfies Record<string, Grants>;

export type Action = keyof typeof permissions;

export function isAction(name: string): name is Action {
  return Object.hasOwn(permissions, name);
}

/** The scope `principal` has for `action`, or null when it may not do it at all. */
export function grantOf(action: Action, principal: Principal): Scope | null {
  const grants: Grants = permissions[action];
  return grants[principal] ?? null;
}

/** The staff roles granted `action` over any scope: who may open its screen (the server checks each record again). */
export function staffRolesGranted(action: Action): StaffRoleName[] {
  return staffRoles.filter((role) => grantOf(action, role) !== null);
}

/** The matrix row of an action, e.g. { admin: 'department', specialist: 'own' } (only the principals granted). */
export function grantsOf(action: Action): Grants {
  return { ...permissions[action] };
}

/** The socket event `event` of the /room namespace as a matrix action. */
export function roomAction(event: string): `room.${string}` {
  return `room.${event}`;
}
