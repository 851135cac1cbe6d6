// The SQL behind the monthly report's figures (figures.ts): one statement for every institution
// of a request, aggregated in PostgreSQL (GROUP BY institution), never row by row in JS.
//
// Parameters of every statement: $1 uuid[] institutions, $2 timestamptz[] period starts
// (inclusive), $3 timestamptz[] period ends (exclusive), $4 timestamptz "now" (what is overdue).
//
// Definitions (the form's rows, packages/protocol/src/report-form.ts):
//  - The period's consultations: planned start (consultations.start) in the institution's period.
//    A move changes the start of the same row (the lifecycle's `reschedule`), so a moved
//    consultation is counted once, in the period of its new start, plus one reschedule per move.
//    A consultation that another one replaces (rescheduled_from_id, kept for older records) is
//    left out: only its successor counts.
//  - Held («проведено»): state `ended`. The lifecycle table (packages/protocol/src/lifecycle.ts)
//    brings an online consultation there only after a client came in (ended_by_staff,
//    limit_reached), a telephone one only by «Состоялась» (held_by_phone), an e-mail one only
//    when its written answer went out (answered_by_email). Direction, kind, topic,
//    first/repeat, channel and form count held consultations only, so each section sums to
//    the held total.
//  - Topic: the consultation's, else its latest protocol version's; neither → «не указана».
//  - First / repeat: the request's recurrence; a consultation without a request (planned work,
//    webinars for staff) counts as first: nothing records that it repeats an earlier request.
//  - Channel: the request's channel; none → «без обращения (плановые)».
//  - Form as it ran: e-mail and telephone by the consultation's form; an online one is «только
//    звук» when every client who spent time in the room spent at least half of it in audio only
//    (room_visits.audio_only_ms against the visits' length), else «с видео».
//  - No-shows, cancellations: state no_show / cancelled. Technical failures and reschedules:
//    the number of `technical_failure` / `reschedule` steps in the history of the period's
//    consultations (a consultation that failed, was moved and held counts in every row).
//  - Average actual duration: ended_at − started_at of held consultations that have both (an
//    online room from the first client to its end; a phone call as its outcome recorded it; an
//    e-mail answer has no duration), minutes, one decimal.
//  - Poor connection: of the held online consultations with a quality summary, the share whose
//    average score (RoomQualitySummary.scoreAvg, 0–5) is below POOR_SCORE_BELOW, %, one decimal.
//  - Feedback: the answers (feedback_answers) to the period's consultations; averages of each
//    criterion with two decimals (null when there is no answer).
//  - Requests: received_at in the period. Answered at: the earliest of its consultations' actual
//    start (started_at, or ended_at when there is none: an e-mail answer), a sent e-mail answer
//    (email_answers), and — for a request refused or completed — the time of that decision
//    (decided_at: every writer of a request's status sets it through journal/request-status.ts,
//    on the business clock; a later edit of the result or a note does not move it, as it moves
//    updated_at; null unless the request is refused or completed, a CHECK holds that).
//    On time: answered by answer_due_at (or answered and no deadline was set); late: answered
//    after it; overdue unanswered: not answered, not withdrawn, and the deadline passed before
//    "now". Refusals: requests of the period refused, by ground.

/** A held online consultation whose average quality score is below this has a poor connection. */
export const POOR_SCORE_BELOW = 3;

const PERIODS = `p AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS p(institution_id, f, t))`;

/**
 * One row per consultation of the period with everything the figures read. Set-based: the
 * period's consultations once (c0: a range scan of consultations (institution_id, start) per
 * institution — OFFSET 0 keeps the planner from flattening it into a scan of the whole table),
 * then each related table joined and grouped once, not probed row by row.
 */
const CONSULTATION_ROWS = `c0 AS MATERIALIZED (
  SELECT c.id, c.institution_id, c.start, c.state, c.kind, c.direction, c.form, c.topic, c.request_id,
    c.started_at, c.ended_at, c.quality_summary
  FROM p CROSS JOIN LATERAL (
    SELECT * FROM consultations c WHERE c.institution_id = p.institution_id AND c.start >= p.f AND c.start < p.t OFFSET 0
  ) c
  WHERE NOT EXISTS (SELECT 1 FROM consultations n WHERE n.rescheduled_from_id = c.id)
),
tr AS (
  SELECT t.consultation_id, count(*) FILTER (WHERE t.event = 'reschedule')::int AS reschedules,
    count(*) FILTER (WHERE t.event = 'technical_failure')::int AS failures
  FROM c0 JOIN consultation_transitions t ON t.consultation_id = c0.id
  WHERE t.event IN ('reschedule', 'technical_failure')
  GROUP BY t.consultation_id
),
au AS (
  SELECT s.consultation_id, bool_and(s.audio_ms * 2 >= s.ms) AS audio_only
  FROM (
    SELECT v.consultation_id, sum(v.audio_only_ms)::float8 AS audio_ms,
      sum(date_part('epoch', COALESCE(v.left_at, c0.ended_at, v.joined_at) - v.joined_at) * 1000)::float8 AS ms
    FROM c0 JOIN room_visits v ON v.consultation_id = c0.id
    JOIN participants pa ON pa.id = v.participant_id AND pa.staff_user_id IS NULL
    WHERE c0.form = 'online' AND c0.state = 'ended'
    GROUP BY v.consultation_id, v.participant_id
  ) s
  WHERE s.ms > 0
  GROUP BY s.consultation_id
),
x AS (
  SELECT c.id, c.institution_id, c.start, c.state::text AS state, (c.state = 'ended') AS held,
    c.kind::text AS kind, c.direction::text AS direction,
    COALESCE(c.topic, (SELECT v.topic FROM protocol_versions v WHERE v.consultation_id = c.id ORDER BY v.version DESC LIMIT 1))::text AS topic,
    r.recurrence::text AS recurrence, r.channel::text AS channel,
    CASE WHEN c.form <> 'online' THEN c.form::text
         WHEN c.state = 'ended' AND au.audio_only THEN 'online_audio' ELSE 'online_video' END AS form_ran,
    COALESCE(tr.reschedules, 0) AS reschedules, COALESCE(tr.failures, 0) AS failures,
    CASE WHEN c.state = 'ended' THEN date_part('epoch', c.ended_at - c.started_at) / 60 END AS minutes,
    CASE WHEN c.state = 'ended' AND c.form = 'online' AND c.quality_summary ->> 'scoreAvg' IS NOT NULL
         THEN (c.quality_summary ->> 'scoreAvg')::float8 < ${POOR_SCORE_BELOW} END AS poor
  FROM c0 c
  -- A primary-key look-up per consultation, not a hash of every request.
  LEFT JOIN LATERAL (SELECT r.recurrence, r.channel FROM requests r WHERE r.id = c.request_id OFFSET 0) r ON true
  LEFT JOIN tr ON tr.consultation_id = c.id
  LEFT JOIN au ON au.consultation_id = c.id
)`;

/** One row per request received in the period, with when it was answered (null: not yet). */
const REQUEST_ROWS = `q0 AS MATERIALIZED (
  SELECT r.id, r.institution_id, r.received_at, r.status, r.refusal_ground, r.answer_due_at, r.decided_at
  FROM p CROSS JOIN LATERAL (
    SELECT * FROM requests r WHERE r.institution_id = p.institution_id AND r.received_at >= p.f AND r.received_at < p.t OFFSET 0
  ) r
),
fc AS (
  SELECT c.request_id, min(COALESCE(c.started_at, c.ended_at)) AS first_at
  FROM q0 JOIN consultations c ON c.request_id = q0.id
  WHERE c.state IN ('live', 'ended')
  GROUP BY c.request_id
),
ea AS (
  SELECT e.request_id, min(e.sent_at) AS sent_at
  FROM q0 JOIN email_answers e ON e.request_id = q0.id
  WHERE e.status = 'sent'
  GROUP BY e.request_id
),
q AS (
  SELECT r.id, r.institution_id, r.received_at, r.status::text AS status, r.refusal_ground::text AS refusal_ground,
    r.answer_due_at,
    LEAST(fc.first_at, ea.sent_at, r.decided_at) AS answered_at
  FROM q0 r
  LEFT JOIN fc ON fc.request_id = r.id
  LEFT JOIN ea ON ea.request_id = r.id
)`;

const enumRows = (prefix: string, column: string, values: readonly string[], base = 'held') =>
  Object.fromEntries(values.map((v) => [`${prefix}.${v}`, `${base} AND ${column} = '${v}'`]));

/** Counted consultations: the row key → its condition over `x`. */
export const CONSULTATION_COUNTS: Readonly<Record<string, string>> = {
  'consultations.held': 'held',
  ...enumRows('direction', 'direction', ['specialist_client', 'specialist_specialist', 'client_client']),
  ...enumRows('kind', 'kind', ['one_to_one', 'webinar', 'dyad']),
  ...enumRows('topic', 'topic', ['family', 'personal', 'social_maladjustment', 'interpersonal', 'learning', 'crisis', 'legal_aid']),
  'topic.unset': 'held AND topic IS NULL',
  'recurrence.first': `held AND recurrence IS DISTINCT FROM 'repeat'`,
  'recurrence.repeat': `held AND recurrence = 'repeat'`,
  ...enumRows('channel', 'channel', ['phone', 'email', 'messenger', 'visit', 'video_link', 'sms']),
  'channel.none': 'held AND channel IS NULL',
  ...enumRows('form', 'form_ran', ['online_video', 'online_audio', 'phone', 'email']),
  'problems.no_show': `state = 'no_show'`,
  'problems.cancelled': `state = 'cancelled'`,
};

/** Figures that sum events of the period's consultations: key → [the sum, the drill-down condition]. */
const CONSULTATION_SUMS: Readonly<Record<string, readonly [string, string]>> = {
  'problems.technical_failure': ['sum(failures)', 'failures > 0'],
  'problems.rescheduled': ['sum(reschedules)', 'reschedules > 0'],
};

/** Averages and shares over `x`: key → [the aggregate, the drill-down condition]. */
const CONSULTATION_MEASURES: Readonly<Record<string, readonly [string, string]>> = {
  'quality.average_minutes': ['round(avg(minutes)::numeric, 1)::float8', 'minutes IS NOT NULL'],
  'quality.poor_share': ['round(100.0 * count(*) FILTER (WHERE poor) / NULLIF(count(poor), 0), 1)::float8', 'poor'],
};

/** The form's feedback criteria: row key → feedback_answers column. */
export const FEEDBACK_CRITERIA: Readonly<Record<string, string>> = {
  'feedback.quality': 'quality',
  'feedback.topic_match': 'topic_match',
  'feedback.comfort': 'comfort',
  'feedback.clarity': 'clarity',
  'feedback.usefulness': 'usefulness',
  'feedback.state_improved': 'state_improved',
  'feedback.specialist_work': 'specialist_work',
};
const FEEDBACK_KEYS = new Set(['feedback.answers', ...Object.keys(FEEDBACK_CRITERIA)]);

const ANSWERED_ON_TIME = 'answered_at IS NOT NULL AND (answer_due_at IS NULL OR answered_at <= answer_due_at)';
/** Request figures: key → condition over `q`. */
const REQUEST_COUNTS: Readonly<Record<string, string>> = {
  'requests.received': 'true',
  'requests.answered_on_time': ANSWERED_ON_TIME,
  'requests.answered_late': 'answered_at > answer_due_at',
  'requests.overdue_unanswered': `answered_at IS NULL AND status <> 'withdrawn' AND answer_due_at < $4::timestamptz`,
  'refusals.outside_competence': `status = 'refused' AND refusal_ground = 'outside_competence'`,
  'refusals.unethical_or_aggressive_behaviour': `status = 'refused' AND refusal_ground = 'unethical_or_aggressive_behaviour'`,
};

const q = (key: string) => `"${key}"`;

/** Every figure of every institution of the periods: one row per institution. */
export const FIGURES_SQL = `WITH ${PERIODS}, ${CONSULTATION_ROWS}, ${REQUEST_ROWS},
cx AS (
  SELECT institution_id,
    ${Object.entries(CONSULTATION_COUNTS)
      .map(([k, cond]) => `count(*) FILTER (WHERE ${cond})::int AS ${q(k)}`)
      .join(',\n    ')},
    ${Object.entries(CONSULTATION_SUMS)
      .map(([k, [agg]]) => `COALESCE(${agg}, 0)::int AS ${q(k)}`)
      .join(',\n    ')},
    ${Object.entries(CONSULTATION_MEASURES)
      .map(([k, [agg]]) => `${agg} AS ${q(k)}`)
      .join(',\n    ')}
  FROM x GROUP BY institution_id
),
fb AS (
  SELECT x.institution_id, count(*)::int AS ${q('feedback.answers')},
    ${Object.entries(FEEDBACK_CRITERIA)
      .map(([k, col]) => `round(avg(f.${col})::numeric, 2)::float8 AS ${q(k)}`)
      .join(',\n    ')}
  FROM x JOIN feedback_answers f ON f.consultation_id = x.id GROUP BY x.institution_id
),
rq AS (
  SELECT institution_id,
    ${Object.entries(REQUEST_COUNTS)
      .map(([k, cond]) => `count(*) FILTER (WHERE ${cond})::int AS ${q(k)}`)
      .join(',\n    ')}
  FROM q GROUP BY institution_id
)
SELECT p.institution_id::text AS institution_id, to_jsonb(cx) - 'institution_id' AS cx, to_jsonb(fb) - 'institution_id' AS fb,
  to_jsonb(rq) - 'institution_id' AS rq
FROM p LEFT JOIN cx USING (institution_id) LEFT JOIN fb USING (institution_id) LEFT JOIN rq USING (institution_id)`;

/** Every key this module can compute (the drill-down refuses others). */
export const FIGURE_KEYS: readonly string[] = [
  ...Object.keys(CONSULTATION_COUNTS),
  ...Object.keys(CONSULTATION_SUMS),
  ...Object.keys(CONSULTATION_MEASURES),
  ...FEEDBACK_KEYS,
  ...Object.keys(REQUEST_COUNTS),
];

/**
 * The drill-down statement of one key: rows { id }, consultations in planned-start order or
 * requests in received order (`of` says which; only the request statement reads $4). Null for
 * a key it does not know.
 */
export function drillDownSql(key: string): { of: 'consultations' | 'requests'; sql: string } | null {
  const consultationCond =
    CONSULTATION_COUNTS[key] ??
    CONSULTATION_SUMS[key]?.[1] ??
    CONSULTATION_MEASURES[key]?.[1] ??
    (FEEDBACK_KEYS.has(key) ? 'EXISTS (SELECT 1 FROM feedback_answers f WHERE f.consultation_id = x.id)' : undefined);
  if (consultationCond !== undefined) {
    return {
      of: 'consultations',
      sql: `WITH ${PERIODS}, ${CONSULTATION_ROWS} SELECT x.id::text AS id FROM x WHERE ${consultationCond} ORDER BY x.start, x.id`,
    };
  }
  const requestCond = REQUEST_COUNTS[key];
  if (requestCond !== undefined) {
    return {
      of: 'requests',
      sql: `WITH ${PERIODS}, ${REQUEST_ROWS} SELECT q.id::text AS id FROM q WHERE ${requestCond} ORDER BY q.received_at, q.id`,
    };
  }
  return null;
}
