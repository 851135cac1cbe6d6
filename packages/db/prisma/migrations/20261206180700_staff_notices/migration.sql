-- The bell: in-app notices to staff (until now audit rows that no screen showed).
-- CreateEnum
CREATE TYPE "staff_notice_kind" AS ENUM ('precheck_open', 'precheck_alert', 'technical_failure', 'move_proposed', 'cannot_come');

-- CreateTable
CREATE TABLE "staff_notices" (
    "id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "institution_id" UUID,
    "kind" "staff_notice_kind" NOT NULL,
    "consultation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "staff_notices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "staff_notices_recipient_id_created_at_idx" ON "staff_notices"("recipient_id", "created_at");

-- AddForeignKey
ALTER TABLE "staff_notices" ADD CONSTRAINT "staff_notices_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_notices" ADD CONSTRAINT "staff_notices_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
