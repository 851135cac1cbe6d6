// The client's feedback form (анкета): read and sent from the link without signing in (the
// link is the credential, limited like links.describe), and read by staff without names.
import { ConsultationFeedback, ConsultationParams, FeedbackBody, FeedbackForm } from '../api/index.ts';
import { LinkTokenParams } from '../rest.ts';
import { byName, defineOperation } from './operation.ts';

export const feedbackOperations = byName([
  defineOperation({
    name: 'feedback.get',
    action: 'feedback.get',
    method: 'get',
    path: '/links/:token/feedback',
    summary: "The feedback form of a link's participant: whether it is open, with whom and when, the saved answer",
    description:
      'Open once the consultation ended (`status`: not_yet before; no_show, cancelled, failed when it did not take place; ' +
      'closed 7 days after the first answer). The answer is the participant’s whichever of its links sent it. ' +
      'Forged, expired and revoked links are refused as on the link page; limited like links.describe.',
    tag: 'links',
    params: LinkTokenParams,
    response: FeedbackForm,
    errors: [404, 410, 429],
    institutionScoped: false,
  }),
  defineOperation({
    name: 'feedback.save',
    action: 'feedback.save',
    method: 'put',
    path: '/links/:token/feedback',
    summary: 'Sends or changes the client’s feedback (seven criteria 1–5, preference, impressions, wishes)',
    description:
      'One answer per participant: a new link of the same participant changes the same answer. Only a client ' +
      'participant of an ended consultation (409 `conflict` otherwise), and only for 7 days from the first answer ' +
      '(409 after). Criteria outside 1–5 and texts over 2 000 characters are field errors (400). Audited without the texts.',
    tag: 'links',
    params: LinkTokenParams,
    body: FeedbackBody,
    response: FeedbackForm,
    errors: [404, 409, 410, 429],
    institutionScoped: false,
  }),
  defineOperation({
    name: 'feedback.consultation',
    action: 'feedback.consultation',
    method: 'get',
    path: '/consultations/:consultationId/feedback',
    summary: 'The feedback answers of a consultation, without names (criteria, preference, texts)',
    tag: 'consultations',
    params: ConsultationParams,
    response: ConsultationFeedback,
    institutionScoped: true,
  }),
]);
