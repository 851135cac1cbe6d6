-- Webinars and dyads (issue 17, part H): the group consultation flag, series, and dyads of two
-- registry clients with their motivation levels under a curator.

-- CreateEnum
CREATE TYPE "motivation_level" AS ENUM ('low', 'high');

-- AlterTable
ALTER TABLE "consultations" ADD COLUMN "open_floor" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "dyad_id" UUID,
ADD COLUMN "series_id" UUID;

-- CreateTable
CREATE TABLE "dyads" (
    "id" UUID NOT NULL,
    "institution_id" UUID NOT NULL,
    "client1_id" UUID NOT NULL,
    "client1_motivation" "motivation_level" NOT NULL,
    "client2_id" UUID NOT NULL,
    "client2_motivation" "motivation_level" NOT NULL,
    "curator_id" UUID NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dyads_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "dyads_two_clients" CHECK ("client1_id" <> "client2_id")
);

-- Only a webinar is a group consultation; only a dyad consultation belongs to a dyad.
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_open_floor_webinar" CHECK (NOT "open_floor" OR "kind" = 'webinar');
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_dyad_kind" CHECK ("dyad_id" IS NULL OR "kind" = 'dyad');

-- CreateIndex
CREATE INDEX "dyads_institution_id_created_at_idx" ON "dyads"("institution_id", "created_at");

-- CreateIndex
CREATE INDEX "dyads_curator_id_idx" ON "dyads"("curator_id");

-- CreateIndex
CREATE INDEX "consultations_dyad_id_idx" ON "consultations"("dyad_id");

-- CreateIndex
CREATE INDEX "consultations_series_id_idx" ON "consultations"("series_id");

-- AddForeignKey
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_dyad_id_fkey" FOREIGN KEY ("dyad_id") REFERENCES "dyads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dyads" ADD CONSTRAINT "dyads_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dyads" ADD CONSTRAINT "dyads_client1_id_fkey" FOREIGN KEY ("client1_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dyads" ADD CONSTRAINT "dyads_client2_id_fkey" FOREIGN KEY ("client2_id") REFERENCES "clients"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dyads" ADD CONSTRAINT "dyads_curator_id_fkey" FOREIGN KEY ("curator_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
