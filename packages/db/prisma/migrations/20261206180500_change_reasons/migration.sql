-- Reason categories for moves and cancellations (told to the client), and move proposals
-- (a specialist or social worker proposes; the head approves or rejects).

-- CreateEnum
CREATE TYPE "change_reason" AS ENUM ('specialist_ill', 'client_request', 'technical', 'institution', 'other');

-- CreateEnum
CREATE TYPE "move_proposal_status" AS ENUM ('pending', 'approved', 'rejected', 'withdrawn');

-- AlterTable
ALTER TABLE "consultations" ADD COLUMN "change_reason" "change_reason";

-- CreateTable
CREATE TABLE "consultation_move_proposals" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "proposed_by_id" UUID NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "reason_category" "change_reason",
    "note" TEXT,
    "status" "move_proposal_status" NOT NULL DEFAULT 'pending',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consultation_move_proposals_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "consultation_move_proposals_duration_check" CHECK ("duration_minutes" BETWEEN 1 AND 60)
);

-- CreateIndex
CREATE INDEX "consultation_move_proposals_consultation_id_status_idx" ON "consultation_move_proposals"("consultation_id", "status");

-- CreateIndex
CREATE INDEX "consultation_move_proposals_status_created_at_idx" ON "consultation_move_proposals"("status", "created_at");

-- AddForeignKey
ALTER TABLE "consultation_move_proposals" ADD CONSTRAINT "consultation_move_proposals_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultation_move_proposals" ADD CONSTRAINT "consultation_move_proposals_proposed_by_id_fkey" FOREIGN KEY ("proposed_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultation_move_proposals" ADD CONSTRAINT "consultation_move_proposals_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
