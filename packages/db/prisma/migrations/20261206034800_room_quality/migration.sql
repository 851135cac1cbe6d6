-- AlterTable
ALTER TABLE "consultations" ADD COLUMN     "quality_summary" JSONB;

