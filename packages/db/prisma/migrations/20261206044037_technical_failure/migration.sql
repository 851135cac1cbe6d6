-- AlterTable
ALTER TABLE "consultations" ADD COLUMN     "technical_failure_at" TIMESTAMPTZ(3);

