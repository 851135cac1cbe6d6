// The feedback form's criteria and limits, free of zod and of the contract: the family's page
// (through link-page.ts) and the schemas (api/feedback.ts) both read them.
/** The feedback form's seven criteria in the form's order (DOMAIN.md «Анкета»): the answer's field names. */
export const FEEDBACK_CRITERIA = ['quality', 'topicMatch', 'comfort', 'clarity', 'usefulness', 'stateImproved', 'specialistWork'] as const;
export type FeedbackCriterion = (typeof FEEDBACK_CRITERIA)[number];
/** How long after the first answer it may still be changed. */
export const FEEDBACK_EDIT_DAYS = 7;
/** The longest impressions or wishes. */
export const FEEDBACK_TEXT_MAX = 2000;
