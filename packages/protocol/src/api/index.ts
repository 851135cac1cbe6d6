// The staff REST API (/api): every request and response as a zod schema with its type.
// The server validates with them and builds /api/openapi.json from them; the web app
// imports them for its forms and responses.
export * from './common.ts';
export * from './errors.ts';
export * from './institutions.ts';
export * from './staff.ts';
export * from './schedules.ts';
export * from './requests.ts';
export * from './clients.ts';
export * from './consultations.ts';
export * from './client-answers.ts';
export * from './consultation-page.ts';
export * from './participant-list.ts';
export * from './dyads.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './room-records.ts';
export * from './journal.ts';
export * from './protocol.ts';
export * from './notices.ts';
export * from './day-board.ts';
export * from './moves.ts';
export * from './specialist-absence.ts';
export * from './consultation-forms.ts';
export * from './feedback.ts';
export * from './reports.ts';
export * from './planned-work.ts';
export * from './report-form.ts';
