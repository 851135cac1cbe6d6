-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "staff_role" AS ENUM ('admin', 'head', 'specialist', 'social_worker');

-- CreateEnum
CREATE TYPE "profession" AS ENUM ('psychologist', 'lawyer', 'speech_therapist', 'rehabilitation', 'exercise_instructor', 'other');

-- CreateEnum
CREATE TYPE "schedule_status" AS ENUM ('draft', 'approved');

-- CreateEnum
CREATE TYPE "request_channel" AS ENUM ('phone', 'email', 'messenger', 'visit', 'video_link', 'sms');

-- CreateEnum
CREATE TYPE "request_recurrence" AS ENUM ('first', 'repeat');

-- CreateEnum
CREATE TYPE "social_status" AS ENUM ('difficult_life_situation', 'socially_dangerous_situation');

-- CreateEnum
CREATE TYPE "request_status" AS ENUM ('new', 'assigned', 'scheduled', 'completed', 'refused', 'withdrawn');

-- CreateEnum
CREATE TYPE "consultation_kind" AS ENUM ('one_to_one', 'webinar', 'dyad');

-- CreateEnum
CREATE TYPE "consultation_direction" AS ENUM ('specialist_client', 'specialist_specialist', 'client_client');

-- CreateEnum
CREATE TYPE "consultation_mode" AS ENUM ('planned', 'on_request');

-- CreateEnum
CREATE TYPE "consultation_state" AS ENUM ('planned', 'precheck', 'open', 'live', 'ended', 'no_show', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "consultation_topic" AS ENUM ('family', 'personal', 'social_maladjustment', 'interpersonal', 'learning', 'crisis', 'legal_aid');

-- CreateEnum
CREATE TYPE "participant_role" AS ENUM ('client', 'specialist', 'curator', 'host', 'cohost', 'attendee');

-- CreateEnum
CREATE TYPE "actor_type" AS ENUM ('staff', 'client', 'system');

-- CreateTable
CREATE TABLE "departments" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "departments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "institutions" (
    "id" UUID NOT NULL,
    "department_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "resource_centre" BOOLEAN NOT NULL DEFAULT false,
    "time_zone" TEXT NOT NULL,
    "week" JSONB NOT NULL,
    "lunch_start" TEXT,
    "lunch_end" TEXT,
    "days_off" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "extra_working_days" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "institutions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "staff_role" NOT NULL,
    "institution_id" UUID,
    "department_id" UUID NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "password_hash" TEXT,
    "totp_secret" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "specialist_profiles" (
    "user_id" UUID NOT NULL,
    "profession" "profession" NOT NULL,
    "title" TEXT NOT NULL,

    CONSTRAINT "specialist_profiles_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "specialist_month_schedules" (
    "id" UUID NOT NULL,
    "specialist_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "status" "schedule_status" NOT NULL DEFAULT 'draft',
    "approved_by_id" UUID,
    "approved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "specialist_month_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedule_blocks" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "date" TEXT NOT NULL,
    "start" TEXT NOT NULL,
    "end" TEXT NOT NULL,

    CONSTRAINT "schedule_blocks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "requests" (
    "id" UUID NOT NULL,
    "institution_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "channel" "request_channel" NOT NULL,
    "contact" TEXT,
    "from_whom" TEXT NOT NULL,
    "representative_name" TEXT,
    "child_name" TEXT,
    "child_age" INTEGER,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "recurrence" "request_recurrence" NOT NULL DEFAULT 'first',
    "reason" TEXT NOT NULL,
    "address" TEXT,
    "social_status" "social_status",
    "responsible_specialist_id" UUID,
    "registered_by_id" UUID,
    "status" "request_status" NOT NULL DEFAULT 'new',
    "result" TEXT,
    "answer_due_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_counters" (
    "institution_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "last_number" INTEGER NOT NULL,

    CONSTRAINT "request_counters_pkey" PRIMARY KEY ("institution_id","year")
);

-- CreateTable
CREATE TABLE "consultations" (
    "id" UUID NOT NULL,
    "institution_id" UUID NOT NULL,
    "kind" "consultation_kind" NOT NULL,
    "direction" "consultation_direction" NOT NULL,
    "mode" "consultation_mode" NOT NULL,
    "request_id" UUID,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "state" "consultation_state" NOT NULL DEFAULT 'planned',
    "topic" "consultation_topic",
    "note" TEXT,
    "cancelled_reason" TEXT,
    "rescheduled_from_id" UUID,
    "created_by_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "consultations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consultation_specialists" (
    "consultation_id" UUID NOT NULL,
    "specialist_id" UUID NOT NULL,
    "consultation_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consultation_specialists_pkey" PRIMARY KEY ("consultation_id","specialist_id")
);

-- CreateTable
CREATE TABLE "participants" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "role" "participant_role" NOT NULL,
    "staff_user_id" UUID,
    "display_name" TEXT,
    "email" TEXT,
    "link_revoked_at" TIMESTAMPTZ(3),
    "joined_at" TIMESTAMPTZ(3),
    "left_at" TIMESTAMPTZ(3),
    "recording_consent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "precheck_results" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "specialist_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "passed" BOOLEAN NOT NULL,
    "rtt_ms" INTEGER,
    "loss_pct" DOUBLE PRECISION,
    "bitrate_kbps" INTEGER,
    "notes" TEXT,

    CONSTRAINT "precheck_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" "actor_type" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "institution_id" UUID,
    "ip" INET,
    "details" JSONB,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "institutions_department_id_idx" ON "institutions"("department_id");

-- CreateIndex
CREATE UNIQUE INDEX "staff_users_email_key" ON "staff_users"("email");

-- CreateIndex
CREATE INDEX "staff_users_institution_id_role_idx" ON "staff_users"("institution_id", "role");

-- CreateIndex
CREATE INDEX "staff_users_department_id_idx" ON "staff_users"("department_id");

-- CreateIndex
CREATE INDEX "specialist_profiles_profession_idx" ON "specialist_profiles"("profession");

-- CreateIndex
CREATE INDEX "specialist_month_schedules_month_status_idx" ON "specialist_month_schedules"("month", "status");

-- CreateIndex
CREATE UNIQUE INDEX "specialist_month_schedules_specialist_id_month_key" ON "specialist_month_schedules"("specialist_id", "month");

-- CreateIndex
CREATE INDEX "schedule_blocks_schedule_id_date_idx" ON "schedule_blocks"("schedule_id", "date");

-- CreateIndex
CREATE INDEX "requests_institution_id_received_at_idx" ON "requests"("institution_id", "received_at");

-- CreateIndex
CREATE INDEX "requests_responsible_specialist_id_status_idx" ON "requests"("responsible_specialist_id", "status");

-- CreateIndex
CREATE INDEX "requests_status_answer_due_at_idx" ON "requests"("status", "answer_due_at");

-- CreateIndex
CREATE UNIQUE INDEX "requests_institution_id_year_number_key" ON "requests"("institution_id", "year", "number");

-- CreateIndex
CREATE UNIQUE INDEX "consultations_rescheduled_from_id_key" ON "consultations"("rescheduled_from_id");

-- CreateIndex
CREATE INDEX "consultations_institution_id_start_idx" ON "consultations"("institution_id", "start");

-- CreateIndex
CREATE INDEX "consultations_state_start_idx" ON "consultations"("state", "start");

-- CreateIndex
CREATE INDEX "consultations_request_id_idx" ON "consultations"("request_id");

-- CreateIndex
CREATE INDEX "consultation_specialists_specialist_id_consultation_start_idx" ON "consultation_specialists"("specialist_id", "consultation_start");

-- CreateIndex
CREATE INDEX "participants_consultation_id_idx" ON "participants"("consultation_id");

-- CreateIndex
CREATE INDEX "participants_staff_user_id_idx" ON "participants"("staff_user_id");

-- CreateIndex
CREATE INDEX "precheck_results_consultation_id_at_idx" ON "precheck_results"("consultation_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_institution_id_at_idx" ON "audit_events"("institution_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_target_type_target_id_idx" ON "audit_events"("target_type", "target_id");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- AddForeignKey
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "specialist_profiles" ADD CONSTRAINT "specialist_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "specialist_month_schedules" ADD CONSTRAINT "specialist_month_schedules_specialist_id_fkey" FOREIGN KEY ("specialist_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "specialist_month_schedules" ADD CONSTRAINT "specialist_month_schedules_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_blocks" ADD CONSTRAINT "schedule_blocks_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "specialist_month_schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_responsible_specialist_id_fkey" FOREIGN KEY ("responsible_specialist_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_registered_by_id_fkey" FOREIGN KEY ("registered_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_counters" ADD CONSTRAINT "request_counters_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_rescheduled_from_id_fkey" FOREIGN KEY ("rescheduled_from_id") REFERENCES "consultations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultation_specialists" ADD CONSTRAINT "consultation_specialists_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultation_specialists" ADD CONSTRAINT "consultation_specialists_specialist_id_fkey" FOREIGN KEY ("specialist_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "precheck_results" ADD CONSTRAINT "precheck_results_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "precheck_results" ADD CONSTRAINT "precheck_results_specialist_id_fkey" FOREIGN KEY ("specialist_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

