-- The form of distance consultation (online | phone | email; existing rows online) and the
-- written answers to consultations by e-mail (kept with the request; the body is never logged).

-- CreateEnum
CREATE TYPE "consultation_form" AS ENUM ('online', 'phone', 'email');

-- CreateEnum
CREATE TYPE "email_answer_status" AS ENUM ('sent', 'failed');

-- AlterTable
ALTER TABLE "consultations" ADD COLUMN "form" "consultation_form" NOT NULL DEFAULT 'online';

-- CreateTable
CREATE TABLE "email_answers" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "request_id" UUID,
    "to_address" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "email_answer_status" NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "author_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_answers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "email_answers_consultation_id_idx" ON "email_answers"("consultation_id");

-- CreateIndex
CREATE INDEX "email_answers_request_id_idx" ON "email_answers"("request_id");

-- AddForeignKey
ALTER TABLE "email_answers" ADD CONSTRAINT "email_answers_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_answers" ADD CONSTRAINT "email_answers_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_answers" ADD CONSTRAINT "email_answers_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
