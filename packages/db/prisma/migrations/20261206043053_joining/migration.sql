-- CreateEnum
CREATE TYPE "notification_kind" AS ENUM ('invitation', 'reminder', 'rescheduled', 'cancelled', 'feedback', 'technical_failure');

-- CreateEnum
CREATE TYPE "notification_status" AS ENUM ('sent', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "device_check_verdict" AS ENUM ('video', 'audio_only', 'no_connection');

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "consultation_id" UUID,
    "participant_id" UUID,
    "staff_user_id" UUID,
    "kind" "notification_kind" NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'email',
    "recipient" TEXT NOT NULL,
    "status" "notification_status" NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_checks" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verdict" "device_check_verdict" NOT NULL,
    "camera" BOOLEAN NOT NULL,
    "microphone" BOOLEAN NOT NULL,
    "rtt_ms" INTEGER,
    "loss_pct" DOUBLE PRECISION,
    "bitrate_kbps" INTEGER,
    "path" TEXT,

    CONSTRAINT "device_checks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notifications_consultation_id_created_at_idx" ON "notifications"("consultation_id", "created_at");

-- CreateIndex
CREATE INDEX "device_checks_consultation_id_at_idx" ON "device_checks"("consultation_id", "at");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_checks" ADD CONSTRAINT "device_checks_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_checks" ADD CONSTRAINT "device_checks_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

