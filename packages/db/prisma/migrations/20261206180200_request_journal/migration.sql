-- The request journal on screen: the refusal's ground and the indexes of its filtered pages.

-- CreateEnum
CREATE TYPE "refusal_ground" AS ENUM ('outside_competence', 'unethical_or_aggressive_behaviour');

-- AlterTable
ALTER TABLE "requests" ADD COLUMN "refusal_ground" "refusal_ground";

-- A ground only on a refused request (requests refused before this migration keep none).
ALTER TABLE "requests"
  ADD CONSTRAINT "requests_refusal_ground_check" CHECK ("refusal_ground" IS NULL OR "status" = 'refused');

-- CreateIndex
CREATE INDEX "requests_institution_id_responsible_specialist_id_status_re_idx" ON "requests"("institution_id", "responsible_specialist_id", "status", "received_at");

-- CreateIndex
CREATE INDEX "requests_institution_id_status_received_at_idx" ON "requests"("institution_id", "status", "received_at");

-- The journal's search: ILIKE '%…%' on each text column, answered from trigram indexes.
-- pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "requests_from_whom_idx" ON "requests" USING GIN ("from_whom" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "requests_representative_name_idx" ON "requests" USING GIN ("representative_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "requests_child_name_idx" ON "requests" USING GIN ("child_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "requests_contact_idx" ON "requests" USING GIN ("contact" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "requests_reason_idx" ON "requests" USING GIN ("reason" gin_trgm_ops);
