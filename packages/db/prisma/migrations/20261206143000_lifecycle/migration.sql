-- AlterTable
ALTER TABLE "consultations" ADD COLUMN     "ended_at" TIMESTAMPTZ(3),
ADD COLUMN     "started_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "consultation_transitions" (
    "id" UUID NOT NULL,
    "consultation_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "from_state" "consultation_state",
    "to_state" "consultation_state" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" UUID,
    "previous_start" TIMESTAMPTZ(3),

    CONSTRAINT "consultation_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "consultation_transitions_consultation_id_at_idx" ON "consultation_transitions"("consultation_id", "at");

-- AddForeignKey
ALTER TABLE "consultation_transitions" ADD CONSTRAINT "consultation_transitions_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consultation_transitions" ADD CONSTRAINT "consultation_transitions_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "staff_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Data (hand-written): the lifecycle as the table says it for what exists already.
-- Every existing consultation was booked: its history starts with 'book' (when it was created,
-- by whom). gen_random_uuid() (v4) for these rows only: they predate the product's UUIDv7 ids.
INSERT INTO "consultation_transitions" ("id", "consultation_id", "event", "from_state", "to_state", "at", "actor_id")
SELECT gen_random_uuid(), "id", 'book', NULL, 'planned', "created_at", "created_by_id" FROM "consultations";

-- A technical failure used to be a flag beside the state; it is now the state `failed`.
INSERT INTO "consultation_transitions" ("id", "consultation_id", "event", "from_state", "to_state", "at")
SELECT gen_random_uuid(), "id", 'technical_failure', "state", 'failed', "technical_failure_at"
  FROM "consultations"
 WHERE "technical_failure_at" IS NOT NULL AND "state" IN ('planned', 'precheck', 'open');
UPDATE "consultations" SET "state" = 'failed', "version" = "version" + 1
 WHERE "technical_failure_at" IS NOT NULL AND "state" IN ('planned', 'precheck', 'open');
