-- Issue 18: the institution's records and reports — protocol versions and files, the feedback
-- form, audio-only time per room visit, monthly reports with their submission, the department's
-- reporting period.
-- CreateEnum
CREATE TYPE "feedback_preference" AS ENUM ('more_practice', 'more_theory', 'enough');

-- CreateEnum
CREATE TYPE "monthly_report_status" AS ENUM ('submitted', 'accepted', 'returned');

-- AlterTable
ALTER TABLE "departments" ADD COLUMN     "report_consolidated_due_day" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "report_institution_due_day" INTEGER NOT NULL DEFAULT 25,
ADD COLUMN     "report_period_start_day" INTEGER NOT NULL DEFAULT 25;

-- AlterTable
ALTER TABLE "room_visits" ADD COLUMN     "audio_only_ms" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "protocol_versions" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "final" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "topic" "consultation_topic",
    "solution" TEXT,
    "materials" JSONB NOT NULL DEFAULT '[]',
    "changed_fields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "author_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "protocol_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "protocol_files" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "protocol_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback_answers" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "quality" INTEGER NOT NULL,
    "topic_match" INTEGER NOT NULL,
    "comfort" INTEGER NOT NULL,
    "clarity" INTEGER NOT NULL,
    "usefulness" INTEGER NOT NULL,
    "state_improved" INTEGER NOT NULL,
    "specialist_work" INTEGER NOT NULL,
    "preference" "feedback_preference",
    "impressions" TEXT,
    "wishes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feedback_answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monthly_reports" (
    "id" UUID NOT NULL,
    "institution_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "form_version" INTEGER NOT NULL,
    "status" "monthly_report_status" NOT NULL,
    "figures" JSONB NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_by_id" UUID NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_id" UUID,
    "return_comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "monthly_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consolidated_reports" (
    "id" UUID NOT NULL,
    "department_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "note" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "sent_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "consolidated_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "protocol_versions_consultation_id_version_key" ON "protocol_versions"("consultation_id", "version");

-- CreateIndex
CREATE INDEX "protocol_files_consultation_id_idx" ON "protocol_files"("consultation_id");

-- CreateIndex
CREATE UNIQUE INDEX "feedback_answers_participant_id_key" ON "feedback_answers"("participant_id");

-- CreateIndex
CREATE INDEX "feedback_answers_consultation_id_idx" ON "feedback_answers"("consultation_id");

-- CreateIndex
CREATE UNIQUE INDEX "monthly_reports_institution_id_month_key" ON "monthly_reports"("institution_id", "month");

-- CreateIndex
CREATE UNIQUE INDEX "consolidated_reports_department_id_month_key" ON "consolidated_reports"("department_id", "month");

-- AddForeignKey
ALTER TABLE "protocol_versions" ADD CONSTRAINT "protocol_versions_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "protocol_versions" ADD CONSTRAINT "protocol_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "protocol_files" ADD CONSTRAINT "protocol_files_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "protocol_files" ADD CONSTRAINT "protocol_files_uploaded_by_id_fkey" FOREIGN KEY ("uploaded_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_answers" ADD CONSTRAINT "feedback_answers_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feedback_answers" ADD CONSTRAINT "feedback_answers_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_reports" ADD CONSTRAINT "monthly_reports_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_reports" ADD CONSTRAINT "monthly_reports_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monthly_reports" ADD CONSTRAINT "monthly_reports_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consolidated_reports" ADD CONSTRAINT "consolidated_reports_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consolidated_reports" ADD CONSTRAINT "consolidated_reports_sent_by_id_fkey" FOREIGN KEY ("sent_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Checks Prisma does not express.
ALTER TABLE "departments" ADD CONSTRAINT "departments_report_days_check" CHECK (
  "report_period_start_day" BETWEEN 1 AND 28
  AND "report_institution_due_day" BETWEEN 1 AND 28
  AND "report_consolidated_due_day" BETWEEN 1 AND 28
);
ALTER TABLE "room_visits" ADD CONSTRAINT "room_visits_audio_only_ms_check" CHECK ("audio_only_ms" >= 0);
ALTER TABLE "protocol_versions" ADD CONSTRAINT "protocol_versions_version_check" CHECK ("version" >= 1);
ALTER TABLE "protocol_files" ADD CONSTRAINT "protocol_files_size_check" CHECK ("size_bytes" BETWEEN 1 AND 10485760);
ALTER TABLE "feedback_answers" ADD CONSTRAINT "feedback_answers_criteria_check" CHECK (
  "quality" BETWEEN 1 AND 5 AND "topic_match" BETWEEN 1 AND 5 AND "comfort" BETWEEN 1 AND 5
  AND "clarity" BETWEEN 1 AND 5 AND "usefulness" BETWEEN 1 AND 5
  AND "state_improved" BETWEEN 1 AND 5 AND "specialist_work" BETWEEN 1 AND 5
);
ALTER TABLE "monthly_reports" ADD CONSTRAINT "monthly_reports_month_check" CHECK ("month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
ALTER TABLE "consolidated_reports" ADD CONSTRAINT "consolidated_reports_month_check" CHECK ("month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');
