-- The clients' registry (issue 17, part A): a parent or legal representative with the consent
-- to the processing of personal data (152-FZ) recorded at intake; requests link to it.

-- CreateEnum
CREATE TYPE "consent_method" AS ENUM ('written', 'oral_phone');

-- CreateTable
CREATE TABLE "clients" (
    "id" UUID NOT NULL,
    "institution_id" UUID NOT NULL,
    "representative_name" TEXT NOT NULL,
    "child_name" TEXT,
    "child_age" INTEGER,
    "phone" TEXT,
    "email" TEXT,
    "messenger" TEXT,
    "address" TEXT,
    "social_status" "social_status",
    "ippsu" BOOLEAN NOT NULL DEFAULT false,
    "ipsr" BOOLEAN NOT NULL DEFAULT false,
    "consent_method" "consent_method" NOT NULL,
    "consent_at" TIMESTAMPTZ(3) NOT NULL,
    "consent_recorded_by_id" UUID NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "requests" ADD COLUMN "client_id" UUID;

-- CreateIndex
CREATE INDEX "clients_institution_id_representative_name_idx" ON "clients"("institution_id", "representative_name");

-- CreateIndex
CREATE INDEX "requests_client_id_idx" ON "requests"("client_id");

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clients" ADD CONSTRAINT "clients_institution_id_fkey" FOREIGN KEY ("institution_id") REFERENCES "institutions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clients" ADD CONSTRAINT "clients_consent_recorded_by_id_fkey" FOREIGN KEY ("consent_recorded_by_id") REFERENCES "staff_users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (Prisma's diff neither sees nor drops these).
ALTER TABLE "clients"
  ADD CONSTRAINT "clients_child_age_check" CHECK ("child_age" BETWEEN 0 AND 120),
  ADD CONSTRAINT "clients_contact_check" CHECK ("phone" IS NOT NULL OR "email" IS NOT NULL OR "messenger" IS NOT NULL),
  ADD CONSTRAINT "clients_representative_name_check" CHECK (length(btrim("representative_name")) > 0);

-- An anonymous request keeps no client record.
ALTER TABLE "requests"
  ADD CONSTRAINT "requests_client_anonymous_check" CHECK (NOT ("anonymous" AND "client_id" IS NOT NULL));
