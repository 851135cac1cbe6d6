-- Corrections to an approved month schedule (issue 17, part D): the approved blocks stay in
-- force while a correction waits for the head.

-- CreateEnum
CREATE TYPE "schedule_correction_status" AS ENUM ('pending', 'approved', 'rejected');

-- CreateTable
CREATE TABLE "schedule_corrections" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "status" "schedule_correction_status" NOT NULL DEFAULT 'pending',
    "blocks" JSONB NOT NULL,
    "proposed_by_id" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "schedule_corrections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "schedule_corrections_schedule_id_status_idx" ON "schedule_corrections"("schedule_id", "status");

-- AddForeignKey
ALTER TABLE "schedule_corrections" ADD CONSTRAINT "schedule_corrections_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "specialist_month_schedules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_corrections" ADD CONSTRAINT "schedule_corrections_proposed_by_id_fkey" FOREIGN KEY ("proposed_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "schedule_corrections" ADD CONSTRAINT "schedule_corrections_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
