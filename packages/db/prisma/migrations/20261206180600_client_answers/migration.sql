-- CreateEnum
CREATE TYPE "client_answer_kind" AS ENUM ('cannot_come', 'other_time');

-- CreateTable
CREATE TABLE "client_answers" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "kind" "client_answer_kind" NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_answers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "client_answers_consultation_id_created_at_idx" ON "client_answers"("consultation_id", "created_at");

-- AddForeignKey
ALTER TABLE "client_answers" ADD CONSTRAINT "client_answers_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "client_answers" ADD CONSTRAINT "client_answers_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
