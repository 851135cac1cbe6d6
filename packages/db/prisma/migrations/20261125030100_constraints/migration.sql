-- Rules Prisma's schema language cannot express: CHECK constraints, the append-only audit
-- table, and the copy of consultations.start kept in consultation_specialists.
-- Written by hand; Prisma's diff neither sees nor drops CHECKs, functions or triggers.

-- Helpers for local calendar values (strings, as the scheduling package has them) ----------
CREATE FUNCTION dp_is_local_date(d text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN d ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$';

CREATE FUNCTION dp_is_hhmm(t text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN t ~ '^([01]\d|2[0-3]):[0-5]\d$';

CREATE FUNCTION dp_all_local_dates(ds text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (SELECT coalesce(bool_and(d IS NOT NULL AND dp_is_local_date(d)), true) FROM unnest(ds) AS d);

-- An hours range of the week: null, or { "start": "HH:mm", "end": "HH:mm" } with start < end.
CREATE FUNCTION dp_is_hours_range(r jsonb) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN r IS NULL OR jsonb_typeof(r) = 'null' OR (
    jsonb_typeof(r) = 'object'
    AND jsonb_typeof(r -> 'start') = 'string' AND jsonb_typeof(r -> 'end') = 'string'
    AND dp_is_hhmm(r ->> 'start') AND dp_is_hhmm(r ->> 'end') AND (r ->> 'start') < (r ->> 'end'));

-- Institutions: the calendar ----------------------------------------------------------------
ALTER TABLE "institutions"
  -- Prisma creates list columns nullable; the client never writes null there.
  ALTER COLUMN "days_off" SET NOT NULL,
  ALTER COLUMN "extra_working_days" SET NOT NULL,
  -- An IANA name 'Area/Location' (not UTC, not a fixed offset such as Etc/GMT-6).
  ADD CONSTRAINT "institutions_time_zone_check"
    CHECK ("time_zone" ~ '^[A-Z][A-Za-z_]+(/[A-Za-z0-9_+-]+)+$' AND "time_zone" NOT LIKE 'Etc/%'),
  ADD CONSTRAINT "institutions_week_check" CHECK (
    jsonb_typeof("week") = 'object'
    AND "week" ?& ARRAY['1', '2', '3', '4', '5', '6', '7']
    AND dp_is_hours_range("week" -> '1') AND dp_is_hours_range("week" -> '2')
    AND dp_is_hours_range("week" -> '3') AND dp_is_hours_range("week" -> '4')
    AND dp_is_hours_range("week" -> '5') AND dp_is_hours_range("week" -> '6')
    AND dp_is_hours_range("week" -> '7')),
  ADD CONSTRAINT "institutions_lunch_check" CHECK (
    ("lunch_start" IS NULL AND "lunch_end" IS NULL)
    OR (dp_is_hhmm("lunch_start") AND dp_is_hhmm("lunch_end") AND "lunch_start" < "lunch_end")),
  ADD CONSTRAINT "institutions_days_off_check" CHECK (dp_all_local_dates("days_off")),
  ADD CONSTRAINT "institutions_extra_working_days_check" CHECK (dp_all_local_dates("extra_working_days"));

-- Staff -------------------------------------------------------------------------------------
ALTER TABLE "staff_users"
  ADD CONSTRAINT "staff_users_email_lower_case_check" CHECK ("email" = lower("email") AND "email" LIKE '%_@_%'),
  -- Only a department-level admin belongs to no institution.
  ADD CONSTRAINT "staff_users_institution_check" CHECK ("role" = 'admin' OR "institution_id" IS NOT NULL);

-- Timetable ---------------------------------------------------------------------------------
ALTER TABLE "specialist_month_schedules"
  ADD CONSTRAINT "specialist_month_schedules_month_check" CHECK ("month" ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  ADD CONSTRAINT "specialist_month_schedules_approved_check" CHECK ("status" <> 'approved' OR "approved_at" IS NOT NULL);

ALTER TABLE "schedule_blocks"
  ADD CONSTRAINT "schedule_blocks_date_check" CHECK (dp_is_local_date("date")),
  ADD CONSTRAINT "schedule_blocks_time_check" CHECK (dp_is_hhmm("start") AND dp_is_hhmm("end") AND "start" < "end");

-- Requests ----------------------------------------------------------------------------------
ALTER TABLE "requests"
  ADD CONSTRAINT "requests_number_check" CHECK ("number" >= 1 AND "year" BETWEEN 2000 AND 2999),
  ADD CONSTRAINT "requests_child_age_check" CHECK ("child_age" BETWEEN 0 AND 120),
  ADD CONSTRAINT "requests_anonymous_check"
    CHECK (NOT "anonymous" OR ("representative_name" IS NULL AND "child_name" IS NULL AND "address" IS NULL));

ALTER TABLE "request_counters"
  ADD CONSTRAINT "request_counters_last_number_check" CHECK ("last_number" >= 1);

-- Consultations -----------------------------------------------------------------------------
ALTER TABLE "consultations"
  -- An online consultation lasts at most 60 minutes (DOMAIN.md).
  ADD CONSTRAINT "consultations_duration_minutes_check" CHECK ("duration_minutes" BETWEEN 1 AND 60),
  ADD CONSTRAINT "consultations_version_check" CHECK ("version" >= 0),
  ADD CONSTRAINT "consultations_rescheduled_from_check" CHECK ("rescheduled_from_id" <> "id");

ALTER TABLE "precheck_results"
  ADD CONSTRAINT "precheck_results_measurements_check" CHECK (
    ("rtt_ms" IS NULL OR "rtt_ms" >= 0)
    AND ("loss_pct" IS NULL OR "loss_pct" BETWEEN 0 AND 100)
    AND ("bitrate_kbps" IS NULL OR "bitrate_kbps" >= 0));

-- consultation_specialists.consultation_start mirrors consultations.start, so that "a
-- specialist's consultations in a period" is one range scan of
-- consultation_specialists_specialist_id_consultation_start_idx.
CREATE FUNCTION dp_consultation_specialists_copy_start() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  SELECT c."start" INTO NEW."consultation_start" FROM "consultations" c WHERE c."id" = NEW."consultation_id";
  RETURN NEW;
END $$;

CREATE TRIGGER "consultation_specialists_copy_start"
  BEFORE INSERT OR UPDATE ON "consultation_specialists"
  FOR EACH ROW EXECUTE FUNCTION dp_consultation_specialists_copy_start();

CREATE FUNCTION dp_consultations_propagate_start() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "consultation_specialists" SET "consultation_start" = NEW."start" WHERE "consultation_id" = NEW."id";
  RETURN NULL;
END $$;

CREATE TRIGGER "consultations_propagate_start"
  AFTER UPDATE OF "start" ON "consultations"
  FOR EACH ROW WHEN (OLD."start" IS DISTINCT FROM NEW."start")
  EXECUTE FUNCTION dp_consultations_propagate_start();

-- Audit: append-only ------------------------------------------------------------------------
CREATE FUNCTION dp_audit_events_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation', HINT = 'Record a new event instead of changing an old one.';
END $$;

CREATE TRIGGER "audit_events_no_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION dp_audit_events_append_only();

CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION dp_audit_events_append_only();
