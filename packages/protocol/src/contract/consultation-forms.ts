// The telephone and e-mail forms of distance consultation: the phone outcome, the e-mail answer.
import { Consultation, ConsultationParams, EmailAnswerBody, EmailAnswerList, EmailAnswerView, PhoneOutcomeBody } from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

export const consultationFormOperations = byName([
  defineOperation({
    name: 'consultations.phone_outcome',
    action: 'consultations.phone_outcome',
    method: 'post',
    path: '/consultations/:consultationId/phone-outcome',
    summary: 'A consultation by telephone: «Состоялась» (ended, with the actual duration) or «Не дозвонились» (no_show)',
    description: '409 `conflict` when it is not a consultation by telephone, not planned any more, or its booked time has not come yet.',
    tag: 'consultations',
    params: ConsultationParams,
    body: PhoneOutcomeBody,
    response: Consultation,
    errors: [409],
    institutionScoped: true,
  }),
  defineOperation({
    name: 'consultations.email_answer',
    action: 'consultations.email_answer',
    method: 'post',
    path: '/consultations/:consultationId/email-answer',
    summary: "A consultation by e-mail: the specialist's written answer goes out over SMTP to the client and is kept with the request",
    description:
      'When it was sent, the consultation is ended and its request completed; a refused send is kept as `failed` and may be sent again. ' +
      '409 `conflict` when it is not a consultation by e-mail, is answered already, or the client has no e-mail address.',
    tag: 'consultations',
    params: ConsultationParams,
    body: EmailAnswerBody,
    response: EmailAnswerView,
    status: 201,
    errors: [409],
    institutionScoped: true,
  }),
  defineOperation({
    name: 'consultations.email_answers',
    action: 'consultations.email_answers',
    method: 'get',
    path: '/consultations/:consultationId/email-answers',
    summary: 'The written answers of a consultation by e-mail (the record: its text), oldest first',
    tag: 'consultations',
    params: ConsultationParams,
    response: EmailAnswerList,
    institutionScoped: true,
  }),
]);
