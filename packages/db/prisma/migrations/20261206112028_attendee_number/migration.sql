-- AlterTable
ALTER TABLE "participants" ADD COLUMN     "attendee_number" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "participants_consultation_id_attendee_number_key" ON "participants"("consultation_id", "attendee_number");
